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

Both take sentences already validated (lists of str tokens):
``probabilities(sentences)`` returns one ``(n_tokens, n_classes)`` float32
array per sentence, ``labels(sentences, classes)`` one list of labels. ONNX Runtime sessions
may be called from several threads at once, and the predictors keep no
per-call state, so one tagger serves concurrent requests.
"""

import threading

import numpy as np

from .architecture import EMBEDDING_LAYER, TAGGER_LAYER
from .batching import prediction_batches
from .vocabulary import pad_sequences

__all__ = ["FeatureCache", "OnnxPredictor", "TablePredictor", "make_predictor"]


def make_predictor(spec, weights, encoder, n_classes):
    """The predictor for a fitted model.

    Parameters
    ----------
    spec : sktag.architecture.GraphSpec
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
        embedding = weights[EMBEDDING_LAYER][0]
        kernel, bias = weights[TAGGER_LAYER]
        logits = embedding @ kernel + bias
        logits -= logits.max(axis=1, keepdims=True)
        table = np.exp(logits)
        table /= table.sum(axis=1, keepdims=True)
        self.table = table.astype(np.float32)
        self.label_table = table.argmax(axis=1)
        self.encoder = encoder
        self.n_classes = n_classes

    def _ids(self, sentences):
        """The ids of all tokens of all sentences, in one array."""
        flat = [token for tokens in sentences for token in tokens]
        return self.encoder.vocabulary_.encode([flat], check_input=False)[0]

    def probabilities(self, sentences):
        """One ``(n_tokens, n_classes)`` array per sentence."""
        return np.split(self.table[self._ids(sentences)],
                        np.cumsum([len(tokens) for tokens in sentences])[:-1])

    def labels(self, sentences, classes):
        """The most probable label of each token, per sentence, as lists.

        All tokens are looked up at once: no padding, no batches, one
        conversion to Python objects.
        """
        labels = classes[self.label_table[self._ids(sentences)]].tolist()
        if len(sentences) == 1:
            return [labels]
        out, start = [], 0
        for tokens in sentences:
            out.append(labels[start : start + len(tokens)])
            start += len(tokens)
        return out


class OnnxPredictor:
    """Any sktag model, run by ONNX Runtime from graphs built from its weights.

    Parameters
    ----------
    spec : sktag.architecture.GraphSpec
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
        self._tagger = _session(build_word_tagger(spec, weights, external_data=True))
        self._chars = None
        if spec.char:
            char_graph = build_char_encoder(spec, weights, external_data=True)
            self._chars = _session(char_graph)
            self._cache = FeatureCache(char_graph.output_widths["char_features"],
                                       self.cache_size)

    def probabilities(self, sentences):
        """One ``(n_tokens, n_classes)`` array per sentence."""
        token_ids = self.encoder.vocabulary_.encode(sentences, check_input=False)
        if len(sentences) == 1 and len(token_ids[0]):
            return [self._one_sentence(sentences[0], token_ids[0])]
        if self._chars is not None:
            features, types = self._char_features(sentences)
        lengths = [len(ids) for ids in token_ids]
        out = [None] * len(lengths)
        for batch in prediction_batches(lengths):  # empty sentences are in none
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
            rows = self._cache.lookup(tokens)
            if None in rows:
                features, types = self._char_features([tokens])
                inputs["token_chars"] = features[types[0]][None]
            else:
                inputs["token_chars"] = self._cache.table[rows][None]
        return self._tagger.run(None, inputs)[0][0]

    def labels(self, sentences, classes):
        """The most probable label of each token, per sentence, as lists."""
        return [classes[p.argmax(axis=1)].tolist() for p in self.probabilities(sentences)]

    def _char_features(self, sentences):
        """Character features of the distinct tokens, and each sentence's rows of them.

        A token's features depend on its spelling alone: they are computed
        (by the ``char_encoder`` graph) for the tokens of a call that earlier
        calls have not cached.

        Returns
        -------
        features : ndarray of float32 of shape (n_distinct_tokens, n_features)
        types : list of ndarray of intp
            For each sentence, the row of each of its tokens.
        """
        index = {}
        positions = [index.setdefault(t, len(index)) for tokens in sentences for t in tokens]
        distinct = list(index)
        rows = self._cache.lookup(distinct)
        features = np.empty((len(distinct), self._cache.width), dtype=np.float32)
        known = [i for i, row in enumerate(rows) if row is not None]
        if known:
            features[known] = self._cache.table[[rows[i] for i in known]]
        if len(known) < len(distinct):
            unknown = [i for i, row in enumerate(rows) if row is None]
            missing = [distinct[i] for i in unknown]
            new = self._run_char_encoder(
                self.encoder.char_vocabulary_.encode([missing], check_input=False)[0])
            features[unknown] = new
            self._cache.add(missing, new)
        ends = np.cumsum([len(tokens) for tokens in sentences])[:-1]
        return features, np.split(np.asarray(positions, dtype=np.intp), ends)

    def _run_char_encoder(self, rows):
        rows = rows.astype(np.int64)
        parts = [self._chars.run(None, {"char_ids": rows[i : i + self.char_chunk]})[0]
                 for i in range(0, len(rows), self.char_chunk)]
        return np.concatenate(parts)


class FeatureCache:
    """Feature rows by spelling: an append-only table, safe to read from any thread.

    Rows are only ever appended (under a lock) and never change, and a
    spelling is entered only after the table that holds its row is
    published, so a reader that looks its spellings up first and reads
    ``table`` second always finds their rows. Once ``size`` spellings are in,
    the cache stops growing; later spellings are computed on every call.

    Parameters
    ----------
    width : int
        Features per spelling.
    size : int
        Most spellings kept.
    """

    def __init__(self, width, size):
        self.width = width
        self.size = size
        self.rows = {}
        self.table = np.zeros((256, width), dtype=np.float32)
        self._lock = threading.Lock()

    def lookup(self, spellings):
        """The table row of each spelling, or None where it is not cached."""
        get = self.rows.get
        return [get(s) for s in spellings]

    def add(self, spellings, features):
        """Keep the features of spellings not yet cached, while there is room."""
        with self._lock:
            new = [(s, f) for s, f in zip(spellings, features) if s not in self.rows]
            new = new[: max(0, self.size - len(self.rows))]
            if not new:
                return
            n, table = len(self.rows), self.table
            if n + len(new) > len(table):
                grown = np.zeros((max(2 * len(table), n + len(new)), self.width), np.float32)
                grown[:n] = table[:n]
                table = grown
            table[n : n + len(new)] = [f for _, f in new]
            self.table = table  # published before any spelling points into it
            for i, (spelling, _) in enumerate(new):
                self.rows[spelling] = n + i


def _session(model):
    """An ONNX Runtime CPU session of an ONNX model built by :mod:`sktag.onnx_graphs`.

    The large weights reach ONNX Runtime as external initializers, straight
    from their numpy arrays, not through the model's serialized bytes: one
    copy of the weights less at the peak of a service's start.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only
    if model.external:
        names = list(model.external)
        options.add_external_initializers(
            names, [onnxruntime.OrtValue.ortvalue_from_numpy(model.external[n]) for n in names])
    return onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
