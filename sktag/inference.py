"""Prediction paths: one small class per path behind one interface.

A fitted :class:`~sktag.TokenTagger` holds its model as plain weights; the
first prediction builds one of these predictors from them, and none imports
TensorFlow or Keras:

:class:`TablePredictor`
    The dense encoder without characters: a token's probabilities depend on
    its id alone, so they are one row of ``softmax(E @ W + b)``, computed once;
    ``predict`` is a numpy lookup for all tokens at once.
:class:`OnnxPredictor`
    Every other model, as ONNX graphs built from the weights
    (:mod:`sktag.onnx_graphs`) and run by ONNX Runtime. Character features
    are computed once per distinct token of a call (the ``char_encoder``
    graph) and kept in a bounded cache, then sentences are tagged in length-sorted, padded batches (the
    ``word_tagger`` graph).

Both take sentences already validated (lists of str tokens) and return one
``(n_tokens, n_classes)`` float32 array per sentence. ONNX Runtime sessions
may be called from several threads at once, and the predictors keep no
per-call state, so one tagger serves concurrent requests.
"""

import threading

import numpy as np

from .batching import prediction_batches
from .vocabulary import pad_sequences

__all__ = ["OnnxPredictor", "TablePredictor", "make_predictor"]


def make_predictor(spec, weights, encoder, n_classes):
    """The predictor for a fitted model.

    Parameters
    ----------
    spec : sktag.onnx_graphs.GraphSpec
        The model's structure.
    weights : dict of str to list of ndarray
        Layer name -> weights.
    encoder : SentenceEncoder
        The fitted feature encoder.
    n_classes : int
        Number of labels.

    Returns
    -------
    TablePredictor or OnnxPredictor
    """
    if spec.encoder == "dense" and not spec.char:
        return TablePredictor(weights, encoder, n_classes)
    return OnnxPredictor(spec, weights, encoder, n_classes)


class TablePredictor:
    """Dense encoder without characters: one probability row per token id.

    Parameters
    ----------
    weights : dict of str to list of ndarray
        Needs ``"embedding"`` and ``"tagger"``.
    encoder : SentenceEncoder
        The fitted feature encoder.
    n_classes : int
        Number of labels.
    """

    def __init__(self, weights, encoder, n_classes):
        embedding = weights["embedding"][0]
        kernel, bias = weights["tagger"]
        logits = embedding @ kernel + bias
        logits -= logits.max(axis=1, keepdims=True)
        table = np.exp(logits)
        table /= table.sum(axis=1, keepdims=True)
        self.table = table.astype(np.float32)
        self.label_table = table.argmax(axis=1)
        self.encoder = encoder
        self.n_classes = n_classes

    def _ids(self, sentences):
        flat = [token for tokens in sentences for token in tokens]
        ids = self.encoder.vocabulary_.encode([flat], check_input=False)[0]
        return ids, np.cumsum([len(tokens) for tokens in sentences])[:-1]

    def probabilities(self, sentences):
        """One ``(n_tokens, n_classes)`` array per sentence."""
        ids, cuts = self._ids(sentences)
        return np.split(self.table[ids], cuts)

    def label_ids(self, sentences):
        """The most probable class id of each token, per sentence."""
        ids, cuts = self._ids(sentences)
        return np.split(self.label_table[ids], cuts)


class OnnxPredictor:
    """Any sktag model, run by ONNX Runtime from graphs built from its weights.

    Parameters
    ----------
    spec : sktag.onnx_graphs.GraphSpec
        The model's structure.
    weights : dict of str to list of ndarray
        Layer name -> weights.
    encoder : SentenceEncoder
        The fitted feature encoder.
    n_classes : int
        Number of labels.
    """

    #: Distinct tokens per run of the character graph.
    char_chunk = 8192
    #: Spellings whose character features are kept between calls.
    cache_size = 100_000

    def __init__(self, spec, weights, encoder, n_classes):
        from .onnx_graphs import build_char_encoder, build_word_tagger

        self.spec = spec
        self.encoder = encoder
        self.n_classes = n_classes
        self._tagger = _session(build_word_tagger(spec, weights))
        self._chars = None
        if spec.char:
            char_graph = build_char_encoder(spec, weights)
            self._chars = _session(char_graph)
            self._char_width = char_graph.output_widths["char_features"]
            self._cache = {}
            self._cache_lock = threading.Lock()

    def probabilities(self, sentences):
        """One ``(n_tokens, n_classes)`` array per sentence."""
        token_ids = self.encoder.vocabulary_.encode(sentences, check_input=False)
        if len(sentences) == 1 and len(token_ids[0]):
            return [self._one_sentence(sentences[0], token_ids[0])]
        if self._chars is not None:
            features, types = self._char_features(sentences)
        lengths = [len(ids) for ids in token_ids]
        out = [None] * len(lengths)
        if len(lengths) == 1:
            batches = [np.zeros(1, dtype=np.intp)] if lengths[0] else []
        else:
            batches = prediction_batches(lengths)
        for batch in batches:
            inputs = {"token_ids": pad_sequences([token_ids[i] for i in batch], dtype=np.int64)}
            if self._chars is not None:
                # Padding positions point at row 0: any row will do, they are masked.
                rows_of = pad_sequences([types[i] for i in batch], dtype=np.intp)
                inputs["token_chars"] = features[rows_of]
            probs = self._tagger.run(None, inputs)[0]
            for row, i in enumerate(batch):
                out[i] = probs[row, : lengths[i]]
        empty = np.zeros((0, self.n_classes), dtype=np.float32)
        return [empty.copy() if p is None else p for p in out]

    def _one_sentence(self, tokens, ids):
        """A service's usual call, with no sorting, padding or copies."""
        inputs = {"token_ids": ids.astype(np.int64)[None]}
        if self._chars is not None:
            cache = self._cache
            rows = [cache.get(token) for token in tokens]
            if any(row is None for row in rows):
                features, types = self._char_features([tokens])
                inputs["token_chars"] = features[types[0]][None]
            else:
                inputs["token_chars"] = np.stack(rows)[None]
        return self._tagger.run(None, inputs)[0][0]

    def label_ids(self, sentences):
        """The most probable class id of each token, per sentence."""
        return [p.argmax(axis=1) for p in self.probabilities(sentences)]

    def _char_features(self, sentences):
        """Character features of the distinct tokens, and each sentence's rows of them.

        A token's features depend on its spelling alone: they are computed
        once (by the ``char_encoder`` graph) for the tokens of a call not
        seen in earlier calls, and kept in a bounded cache.

        Returns
        -------
        features : ndarray of float32 of shape (n_distinct_tokens, n_features)
        types : list of ndarray of intp
            For each sentence, the row of each of its tokens.
        """
        index = {}
        positions = [index.setdefault(t, len(index)) for tokens in sentences for t in tokens]
        cache = self._cache
        found = {token: cache.get(token) for token in index}
        missing = [token for token, row in found.items() if row is None]
        if missing:
            new = self._run_char_encoder(
                self.encoder.char_vocabulary_.encode([missing], check_input=False)[0])
            rows = dict(zip(missing, new))
            found.update(rows)
            with self._cache_lock:  # lookups elsewhere use get(): a clear never breaks them
                if len(cache) + len(rows) > self.cache_size:
                    cache.clear()
                cache.update(rows)
        width = self._char_width
        features = np.stack(list(found.values())) if found else np.zeros((0, width), np.float32)
        ends = np.cumsum([len(tokens) for tokens in sentences])[:-1]
        return features, np.split(np.asarray(positions, dtype=np.intp), ends)

    def _run_char_encoder(self, rows):
        rows = rows.astype(np.int64)
        parts = [self._chars.run(None, {"char_ids": rows[i : i + self.char_chunk]})[0]
                 for i in range(0, len(rows), self.char_chunk)]
        return np.concatenate(parts)


def _session(model):
    """An ONNX Runtime CPU session of an ONNX model built by :mod:`sktag.onnx_graphs`."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only
    return onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
