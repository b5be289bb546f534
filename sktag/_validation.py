"""Input validation for token sequences.

Every public entry point of sktag (``fit``, ``predict``, ``score``, the
vocabulary and the label encoder) funnels its input through these helpers, so
a bad input gets the same clear message wherever it enters: which sentence,
which token, and what to do about it. Nothing is dropped or truncated here.
"""

from numbers import Integral, Real

import numpy as np

__all__ = ["check_labels", "check_sentence_weights", "check_sentences"]


def _describe(value):
    """Short, safe description of a value for error messages."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


#: What a collection of sentences, and of label sequences, should be.
_SENTENCES = "a list of sentences, each a list of str tokens or a str"
_LABEL_SEQUENCES = "a list of label sequences, one list of labels per sentence"


def _check_collection(X, name, *, expected=_SENTENCES):
    """Check that ``X`` is a non-string, non-empty collection of sentences.

    ``expected`` says in messages what ``X`` should be. Only sentences
    (``expected=_SENTENCES``) reject a numeric array: label sequences may
    be one (int labels, sentences of one length).
    """
    if X is None:
        raise TypeError(f"{name} is None; expected {expected}.")
    if isinstance(X, (str, bytes)):
        if expected is _SENTENCES:
            raise TypeError(
                f"{name} is a single {type(X).__name__}; expected a list of sentences. "
                f"Wrap one sentence in a list: [{X!r:.30}]."
            )
        raise TypeError(f"{name} is a single {type(X).__name__}; expected {expected}.")
    if (
        expected is _SENTENCES
        and isinstance(X, np.ndarray)
        and X.dtype.kind in "biufc"
    ):
        raise TypeError(
            f"{name} is a numpy array of {X.dtype} numbers; sktag tags text. Pass a "
            "list of sentences, each a list of str tokens (or a str)."
        )
    try:
        n = len(X)
    except TypeError:
        what = "a list of sentences" if expected is _SENTENCES else expected
        raise TypeError(f"{name} must be {what}, got {_describe(X)}.") from None
    if n == 0:
        raise ValueError(f"{name} is empty: expected at least one sentence.")
    return n


def check_sentences(X, *, tokenizer=None, allow_empty=False, name="X"):
    """Validate sentences and return them as a list of lists of str.

    Parameters
    ----------
    X : sequence of (sequence of str or str)
        Sentences. A str sentence is split with ``tokenizer`` (whitespace
        when None); any other sentence must be a sequence of str tokens.
    tokenizer : callable, default=None
        Function mapping a str to a list of str tokens.
    allow_empty : bool, default=False
        Whether a sentence may have no token (allowed at predict time).
    name : str, default="X"
        Name used in error messages.

    Returns
    -------
    sentences : list of list of str

    Raises
    ------
    TypeError
        If ``X`` or one of its sentences or tokens has the wrong type.
    ValueError
        If ``X`` is empty, or a sentence is empty and ``allow_empty`` is False.
    """
    _check_collection(X, name)
    sentences = []
    for i, sentence in enumerate(X):
        if sentence is None:
            raise TypeError(
                f"{name}: sentence {i} is None; expected a list of str tokens or a str."
            )
        if isinstance(sentence, str):
            tokens = sentence.split() if tokenizer is None else tokenizer(sentence)
            if isinstance(tokens, str) or not hasattr(tokens, "__len__"):
                raise TypeError(
                    f"{name}: tokenizer returned {_describe(tokens)} for sentence {i}; "
                    "it must return a list of str tokens."
                )
        elif isinstance(sentence, bytes):
            raise TypeError(
                f"{name}: sentence {i} is bytes; decode it to str first."
            )
        elif isinstance(sentence, np.ndarray) or hasattr(sentence, "__iter__"):
            tokens = sentence
        else:
            raise TypeError(
                f"{name}: sentence {i} is {_describe(sentence)}; expected a list of "
                "str tokens or a str."
            )
        tokens = list(tokens)
        if not all(isinstance(token, str) for token in tokens):
            j, token = next((j, t) for j, t in enumerate(tokens) if not isinstance(t, str))
            raise TypeError(
                f"{name}: sentence {i}, token {j} is {_describe(token)}; "
                "every token must be a str."
            )
        if not tokens and not allow_empty:
            raise ValueError(
                f"{name}: sentence {i} is empty; every training sentence needs at "
                "least one token. Remove it before calling fit."
            )
        sentences.append(tokens)
    return sentences


def _label_kind(label):
    """Return "str" or "int" for a valid label, None otherwise."""
    if isinstance(label, str):
        return "str"
    if isinstance(label, (Integral, np.integer)) and not isinstance(
        label, (bool, np.bool_)
    ):
        return "int"
    return None


def check_labels(y, lengths=None, *, name="y", x_name="X", kind=None):
    """Validate label sequences against sentence lengths.

    This is sktag's one rule for labels, shared by the estimator, the
    metrics and the writers of :mod:`sktag.io`: one list of labels per
    sentence, each label a ``str`` or an ``int`` (all of one kind), and,
    when ``lengths`` is given, exactly one label per token.

    Parameters
    ----------
    y : sequence of sequence of (str or int)
        One label sequence per sentence.
    lengths : sequence of int, default=None
        Number of tokens of each sentence, as returned by
        :func:`check_sentences` (or the lengths of other, already checked,
        label sequences); None skips the length checks.
    name : str, default="y"
        Name of the labels in error messages.
    x_name : str, default="X"
        Name of what ``lengths`` and ``kind`` come from, in error messages.
    kind : {"str", "int"}, default=None
        Label type every label must have, such as that of the labels of
        ``x_name``; None requires only that all labels of ``y`` share one.

    Returns
    -------
    labels : list of list
        Labels as plain Python ``str`` or ``int`` values.

    Raises
    ------
    TypeError
        If a label is neither str nor int, or str and int labels are mixed.
    ValueError
        If the number of label sequences or of labels in one sequence does not
        match the sentences.

    Examples
    --------
    >>> check_labels([["DET", "NOUN"], ["VERB"]], [2, 1])
    [['DET', 'NOUN'], ['VERB']]
    >>> check_labels([["DET"], ["VERB"]], [2, 1])
    Traceback (most recent call last):
    ...
    ValueError: sentence 0 has 2 tokens but 1 labels in y; give exactly one label per token.
    """
    n = _check_collection(y, name, expected=_LABEL_SEQUENCES)
    if lengths is None:
        lengths = [None] * n
    elif n != len(lengths):
        raise ValueError(
            f"{x_name} has {len(lengths)} sentences but {name} has {n} label sequences; "
            "they must match one to one."
        )
    # Where the required kind comes from, for the message of a mismatch.
    source = f"{x_name} labels are" if kind is not None else "earlier labels are"
    out = []
    for i, (seq, length) in enumerate(zip(y, lengths)):
        if seq is None or isinstance(seq, (str, bytes)) or not hasattr(seq, "__iter__"):
            raise TypeError(
                f"{name}: labels of sentence {i} are {_describe(seq)}; expected a "
                "list with one label per token."
            )
        seq = list(seq)
        if length is not None and len(seq) != length:
            raise ValueError(
                f"sentence {i} has {length} tokens but {len(seq)} labels in {name}; "
                "give exactly one label per token."
            )
        for j, label in enumerate(seq):
            label_kind = _label_kind(label)
            if label_kind is None:
                raise TypeError(
                    f"{name}: sentence {i}, token {j} has label {_describe(label)}; "
                    "labels must be str or int."
                )
            if kind is None:
                kind = label_kind
            elif label_kind != kind:
                raise TypeError(
                    f"{name}: sentence {i}, token {j} has {label_kind} label "
                    f"{label!r} but {source} {kind}; use one label type."
                )
        out.append([int(v) for v in seq] if kind == "int" else [str(v) for v in seq])
    return out


def check_sentence_weights(sample_weight, n_sentences):
    """Validate one non-negative finite weight per sentence.

    Parameters
    ----------
    sample_weight : array-like of shape (n_sentences,) or None
        Weight of each sentence, applied to each of its tokens.
    n_sentences : int
        Number of sentences.

    Returns
    -------
    weights : ndarray of shape (n_sentences,), dtype float64, or None
    """
    if sample_weight is None:
        return None
    if isinstance(sample_weight, Real):
        sample_weight = np.full(n_sentences, float(sample_weight))
    weights = np.asarray(sample_weight)
    if weights.ndim != 1 or weights.shape[0] != n_sentences:
        raise ValueError(
            f"sample_weight must have one weight per sentence, shape ({n_sentences},); "
            f"got shape {weights.shape}."
        )
    if weights.dtype.kind not in "biuf":
        raise TypeError(f"sample_weight must be numeric, got dtype {weights.dtype}.")
    weights = weights.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"sample_weight[{i}] is {weights[i]}; weights must be finite and >= 0."
        )
    if not weights.any():
        raise ValueError(
            "sample_weight is zero for every sentence; at least one sentence needs a "
            "positive weight."
        )
    return weights
