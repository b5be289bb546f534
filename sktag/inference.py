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

:func:`set_threads` sets how many threads ONNX Runtime uses inside one call
(default 1), for the sessions made afterwards and for the predictors that
exist already.
"""

import itertools
import threading

import numpy as np

from .architecture import EMBEDDING_LAYER, TAGGER_LAYER
from .batching import FlatSentences
from .vocabulary import PAD_ID

__all__ = ["EncodedTokens", "FeatureCache", "OnnxPredictor", "TablePredictor", "get_threads",
           "make_predictor", "set_threads"]

#: ONNX Runtime intra-op threads of every session made from now on (None: its default).
_threads = 1


def set_threads(n):
    """Set how many threads ONNX Runtime may use inside one prediction call.

    Applies to every ONNX Runtime session sktag makes from now on, and to the
    taggers that have already predicted: each makes new sessions at its next
    call (tens of milliseconds, once). Calls that are running keep their
    sessions. Dense taggers without characters predict in numpy and are not
    affected.

    The default is 1: ONNX Runtime's threads wait for each other inside
    every call, so a second thread speeds up a large call only on an idle
    machine and slows every call down, its latency tail most, when other
    work shares the cores; a service gets more from one single-threaded
    tagger process per core (measurements in the scaling guide, "Serving").

    Parameters
    ----------
    n : int >= 1 or None
        Threads per call; None lets ONNX Runtime choose (one per physical
        core, with threads that spin while they wait for work).

    Returns
    -------
    previous : int or None
        The setting before this call, to restore it.

    Raises
    ------
    ValueError
        ``n`` is not a positive int or None.
    """
    global _threads

    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise ValueError(
            f"set_threads takes a positive int or None (ONNX Runtime's default), got {n!r}: "
            "pass 1 for one thread per call, os.cpu_count() for all cores.")
    previous, _threads = _threads, None if n is None else int(n)
    return previous


def get_threads():
    """The current :func:`set_threads` setting.

    Returns
    -------
    n : int or None
        Intra-op threads of new ONNX Runtime sessions; None is ONNX
        Runtime's default.
    """
    return _threads


def make_predictor(spec, weights, encoder, n_classes, *, precision="float32"):
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
    precision : {"float32", "int8"}, default="float32"
        The word tagger graph's precision (:class:`OnnxPredictor`); the
        dense model without characters predicts in float32 numpy either way.

    Returns
    -------
    TablePredictor or OnnxPredictor
    """
    if spec.encoder == "dense" and not spec.char:
        return TablePredictor(weights, encoder, n_classes)
    return OnnxPredictor(spec, weights, encoder, n_classes, precision=precision)


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

    Notes
    -----
    A one-sentence call (a service's usual call) looks its tokens' label ids
    up in a dict by spelling, filled by earlier calls (at most
    :attr:`cache_size` spellings, about: threads may each add one sentence
    past it), and goes to the vocabulary and the table only for spellings it
    has not seen.
    """

    #: Spellings whose label ids are kept between one-sentence calls.
    cache_size = 100_000

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
        self._label_ids = {}  # spelling -> label id
        self._class_names = (None, [])  # (classes, classes.tolist()) of the last call

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
        conversion to Python objects. One sentence goes through the
        spellings' cache (see Notes).
        """
        if len(sentences) == 1:
            return [self._sentence_labels(sentences[0], classes)]
        labels = classes[self.label_table[self._ids(sentences)]].tolist()
        return FlatSentences([len(tokens) for tokens in sentences]).split(labels)

    def _sentence_labels(self, tokens, classes):
        get = self._label_ids.get
        ids = [get(token) for token in tokens]
        if None in ids:
            ids = self.label_table[self._ids([tokens])].tolist()
            if len(self._label_ids) < self.cache_size:
                self._label_ids.update(zip(tokens, ids))
        known, names = self._class_names
        if known is not classes:
            names = classes.tolist()
            self._class_names = (classes, names)
        return [names[i] for i in ids]


class OnnxPredictor:
    """Any sktag model, run by ONNX Runtime from graphs built from its weights.

    A call of several sentences is tagged in stages, each a public method
    (``benchmarks/predict_profile.py`` times them one by one):
    :meth:`encode` (word ids of the distinct spellings, once per call),
    :meth:`char_features` (the cached or computed features of the distinct
    spellings), :meth:`batch_inputs` (one gather per length-sorted padded
    batch), :meth:`run` (the ``word_tagger`` graph), then the argmax of each
    batch scattered back to the flat token order and converted to labels
    once. One sentence skips the batching.

    The sessions follow :func:`set_threads`: a predictor whose sessions were
    made for another number of threads makes new ones at its next call.

    Parameters
    ----------
    spec : sktag.architecture.GraphSpec
        The model's structure.
    weights : dict of str to list of ndarray
        Layer name -> weights (kept, to make new sessions from).
    encoder : SentenceEncoder
        The fitted feature encoder.
    n_classes : int
        Number of labels.
    precision : {"float32", "int8"}, default="float32"
        The word tagger graph's precision
        (:func:`sktag.onnx_graphs.build_word_tagger`); the character encoder
        is float32.

    Attributes
    ----------
    cache : FeatureCache or None
        Character features by spelling, kept between calls (None for a
        model without characters).
    """

    #: Distinct tokens per run of the character graph.
    char_chunk = 8192
    #: Spellings whose character features are kept between calls.
    cache_size = 100_000

    def __init__(self, spec, weights, encoder, n_classes, *, precision="float32"):
        self.spec = spec
        self.encoder = encoder
        self.n_classes = n_classes
        self.precision = precision
        self._weights = weights
        self._lock = threading.Lock()
        self.cache = None
        self._sessions = self._make_sessions(_threads)

    def _make_sessions(self, threads):
        """``(threads, word_tagger session, char_encoder session or None)``."""
        from .onnx_graphs import build_char_encoder, build_word_tagger

        tagger = _session(build_word_tagger(self.spec, self._weights, external_data=True,
                                            precision=self.precision), threads)
        chars = None
        if self.spec.char:
            char_graph = build_char_encoder(self.spec, self._weights, external_data=True)
            chars = _session(char_graph, threads)
            if self.cache is None:
                self.cache = FeatureCache(char_graph.output_widths["char_features"],
                                           self.cache_size)
        return threads, tagger, chars

    def _current_sessions(self):
        """The sessions for the threads :func:`set_threads` asks for now."""
        sessions = self._sessions
        if sessions[0] != _threads:
            with self._lock:
                if self._sessions[0] != _threads:
                    self._sessions = self._make_sessions(_threads)
                sessions = self._sessions
        return sessions

    @property
    def threads(self):
        """Intra-op threads of the current sessions (None: ONNX Runtime's default)."""
        return self._current_sessions()[0]

    def probabilities(self, sentences):
        """One ``(n_tokens, n_classes)`` array per sentence."""
        if len(sentences) == 1 and len(sentences[0]):
            return [self._one_sentence(sentences[0])]
        encoded = self.encode(sentences)
        out = np.zeros((encoded.flat.n_tokens, self.n_classes), dtype=np.float32)
        for index, mask, probs in self._tag_batches(encoded):
            out[index[mask]] = probs[mask]
        return encoded.flat.split(out)

    def labels(self, sentences, classes):
        """The most probable label of each token, per sentence, as lists.

        The argmax runs per batch and lands in one flat array of label ids,
        which is converted to labels in one call.
        """
        if len(sentences) == 1 and len(sentences[0]):
            return [classes[self._one_sentence(sentences[0]).argmax(axis=1)].tolist()]
        encoded = self.encode(sentences)
        label_ids = np.zeros(encoded.flat.n_tokens, dtype=np.intp)
        for index, mask, probs in self._tag_batches(encoded):
            label_ids[index[mask]] = probs.argmax(axis=2)[mask]
        return encoded.flat.split(classes[label_ids].tolist())

    def _tag_batches(self, encoded):
        """``(index, mask, probabilities)`` of each padded batch."""
        features = self.char_features(encoded.distinct) if self.spec.char else None
        for batch in encoded.flat.batches():
            inputs, index, mask = self.batch_inputs(encoded, features, batch)
            yield index, mask, self.run(inputs)

    def encode(self, sentences):
        """The tokens of a call, flat: distinct spellings and each token's word id.

        Parameters
        ----------
        sentences : list of list of str

        Returns
        -------
        EncodedTokens
        """
        flat = list(itertools.chain.from_iterable(sentences))
        distinct = list(dict.fromkeys(flat))  # C loops: faster than one setdefault per token
        types = list(map(dict(zip(distinct, range(len(distinct)))).__getitem__, flat))
        types.append(len(distinct))  # one more type, the padding: PAD_ID, no character features
        ids = self.encoder.vocabulary_.encode([distinct], check_input=False)[0]
        return EncodedTokens(FlatSentences([len(tokens) for tokens in sentences]), distinct,
                             np.array(types, dtype=np.intp),
                             np.append(ids, PAD_ID).astype(np.int64))

    def char_features(self, distinct):
        """Character features of distinct spellings, from the cache or the graph.

        A token's features depend on its spelling alone: they are computed
        (by the ``char_encoder`` graph) for the spellings that earlier calls
        have not cached.

        Parameters
        ----------
        distinct : list of str

        Returns
        -------
        features : ndarray of float32 of shape (len(distinct) + 1, n_features)
            One row per spelling, then a row of zeros for padding.
        """
        rows = self.cache.lookup(distinct)
        features = np.zeros((len(distinct) + 1, self.cache.width), dtype=np.float32)
        known = [i for i, row in enumerate(rows) if row is not None]
        if known:
            features[known] = self.cache.table[[rows[i] for i in known]]
        if len(known) < len(distinct):
            unknown = [i for i, row in enumerate(rows) if row is None]
            missing = [distinct[i] for i in unknown]
            new = self._run_char_encoder(
                self.encoder.char_vocabulary_.encode([missing], check_input=False)[0])
            features[unknown] = new
            self.cache.add(missing, new)
        return features

    def batch_inputs(self, encoded, features, batch):
        """The ``word_tagger`` inputs of one padded batch, by gathers from flat arrays.

        Parameters
        ----------
        encoded : EncodedTokens
        features : ndarray or None
            :meth:`char_features` of ``encoded.distinct``; None without characters.
        batch : ndarray of int
            Sentence indices (``encoded.flat.batches()``).

        Returns
        -------
        inputs : dict of str to ndarray
        index, mask : ndarray
            :meth:`sktag.batching.FlatSentences.positions` of the batch.
        """
        index, mask = encoded.flat.positions(batch)
        types = encoded.types[index]  # padding (n_tokens) -> the padding type
        inputs = {"token_ids": encoded.word_ids[types]}
        if features is not None:
            inputs["token_chars"] = features[types]
        return inputs, index, mask

    def run(self, inputs):
        """The ``word_tagger`` graph: probabilities of shape (batch, length, n_classes)."""
        return self._current_sessions()[1].run(None, inputs)[0]

    def _one_sentence(self, tokens):
        """A service's usual call, with no sorting, padding or copies."""
        ids = self.encoder.vocabulary_.encode([tokens], check_input=False)[0]
        _, tagger, chars = self._current_sessions()
        inputs = {"token_ids": ids.astype(np.int64)[None]}
        if chars is not None:
            rows = self.cache.lookup(tokens)
            if None in rows:
                index = {}
                types = [index.setdefault(t, len(index)) for t in tokens]
                inputs["token_chars"] = self.char_features(list(index))[types][None]
            else:
                inputs["token_chars"] = self.cache.table[rows][None]
        return tagger.run(None, inputs)[0][0]

    def _run_char_encoder(self, rows):
        chars = self._current_sessions()[2]
        rows = rows.astype(np.int64)
        parts = [chars.run(None, {"char_ids": rows[i : i + self.char_chunk]})[0]
                 for i in range(0, len(rows), self.char_chunk)]
        return np.concatenate(parts)


class EncodedTokens:
    """The tokens of one prediction call, flat (see :meth:`OnnxPredictor.encode`).

    Attributes
    ----------
    flat : sktag.batching.FlatSentences
        The sentences' lengths and batches.
    distinct : list of str
        The call's distinct spellings, in order of first occurrence.
    types : ndarray of intp of shape (n_tokens + 1,)
        Each token's index in ``distinct``; the last entry, ``len(distinct)``,
        stands for padding.
    word_ids : ndarray of int64 of shape (len(distinct) + 1,)
        Word id of each distinct spelling, then ``PAD_ID``.
    """

    def __init__(self, flat, distinct, types, word_ids):
        self.flat = flat
        self.distinct = distinct
        self.types = types
        self.word_ids = word_ids


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


def _session(model, threads):
    """An ONNX Runtime CPU session of an ONNX model built by :mod:`sktag.onnx_graphs`.

    ``threads`` is the session's ``intra_op_num_threads`` (None: ONNX
    Runtime's default).

    The large weights reach ONNX Runtime as external initializers, straight
    from their numpy arrays, not through the model's serialized bytes: one
    copy of the weights less at the peak of a service's start.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only
    if threads is not None:
        options.intra_op_num_threads = threads
    if model.external:
        names = list(model.external)
        options.add_external_initializers(
            names, [onnxruntime.OrtValue.ortvalue_from_numpy(model.external[n]) for n in names])
    return onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
