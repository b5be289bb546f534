"""Input validation for token sequences.

Every public entry point of sktag (``fit``, ``predict``, ``score``, the
vocabulary and the label encoder) funnels its input through these helpers, so
a bad input gets the same clear message wherever it enters: which sentence,
which token, and what to do about it. Nothing is dropped or truncated here.
"""

from collections.abc import Mapping, Set
from numbers import Integral, Real

import numpy as np

__all__ = [
    "check_class_weight",
    "check_collection",
    "check_label_pair",
    "check_labels",
    "check_sentence_weights",
    "check_sentences",
    "check_token_weights",
    "describe_value",
    "is_int",
    "label_kind",
]


def describe_value(value):
    """Short, safe description of a value for error messages: its type and a cut repr.

    Examples
    --------
    >>> describe_value(3.5), describe_value("x" * 50)
    ('float 3.5', "str 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...")
    """
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


#: What a collection of sentences, and of label sequences, should be.
_SENTENCES = "a list of sentences, each a list of str tokens or a str"
_LABEL_SEQUENCES = "a list of label sequences, one list of labels per sentence"


def _unordered(value):
    """Why ``value`` cannot be a sequence (a set or a mapping), or None.

    A dict's keys, a set's elements come in an order that means nothing (a
    set's changes between runs), so sentences, tokens or labels in one would
    be tagged or matched in the wrong order without an error.
    """
    if isinstance(value, Mapping):
        return f"a {type(value).__name__}, whose iteration gives only its keys"
    if isinstance(value, Set):
        return f"a {type(value).__name__}, which has no order"
    return None


def check_collection(X, name, *, expected=_SENTENCES):
    """Check that ``X`` is a non-string, non-empty collection of sentences; return its length.

    ``expected`` says in messages what ``X`` should be (a list with one
    item per sentence: sentences by default, or label sequences, spans...).
    Only sentences (the default) reject a numeric array: label sequences
    may be one (int labels, sentences of one length).
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
    if hasattr(X, "columns") and hasattr(X, "shape"):  # pandas or polars: iterates its column names
        columns = list(X.columns)
        column = columns[0] if columns else "text"
        if expected is _SENTENCES:
            hint = (f"such as {name}[{column!r}] (a Series of str sentences or of token lists); "
                    "a table of one token per row becomes sentences with "
                    "sktag.io.read_frame")
        else:
            hint = f"such as {name}[{column!r}] (a Series of label lists)"
        raise TypeError(
            f"{name} is a {type(X).__name__} (columns {columns[:5]}), whose iteration gives "
            f"its column names; pass one of its columns, {hint}."
        )
    unordered = _unordered(X)
    if unordered is not None:
        what = "sentences" if expected is _SENTENCES else "label sequences"
        raise TypeError(f"{name} is {unordered}; pass the {what} as a list, in order.")
    try:
        n = len(X)
    except TypeError:
        what = "a list of sentences" if expected is _SENTENCES else expected
        raise TypeError(f"{name} must be {what}, got {describe_value(X)}.") from None
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
    check_collection(X, name)
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
                    f"{name}: tokenizer returned {describe_value(tokens)} for sentence {i}; "
                    "it must return a list of str tokens."
                )
        elif isinstance(sentence, bytes):
            raise TypeError(
                f"{name}: sentence {i} is bytes; decode it to str first."
            )
        elif not isinstance(sentence, (list, tuple)) and _unordered(sentence) is not None:
            raise TypeError(
                f"{name}: sentence {i} is {_unordered(sentence)}; give its tokens as a list, "
                "in order (or a str)."
            )
        elif isinstance(sentence, np.ndarray) or hasattr(sentence, "__iter__"):
            tokens = sentence
        else:
            raise TypeError(
                f"{name}: sentence {i} is {describe_value(sentence)}; expected a list of "
                "str tokens or a str."
            )
        tokens = list(tokens)
        if not all(isinstance(token, str) for token in tokens):
            j, token = next((j, t) for j, t in enumerate(tokens) if not isinstance(t, str))
            raise TypeError(
                f"{name}: sentence {i}, token {j} is {describe_value(token)}; "
                "every token must be a str."
            )
        if not tokens and not allow_empty:
            raise ValueError(
                f"{name}: sentence {i} is empty; every training sentence needs at "
                "least one token. Remove it before calling fit."
            )
        sentences.append(tokens)
    return sentences


def is_int(value):
    """Whether ``value`` is an int (Python or numpy), not a bool."""
    return isinstance(value, (Integral, np.integer)) and not isinstance(value, (bool, np.bool_))


def label_kind(label):
    """Return "str" or "int" for a valid label, None otherwise."""
    if isinstance(label, str):
        return "str"
    if is_int(label):
        return "int"
    return None


#: The range of int labels: the int64 of ``classes_`` and of model files.
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def check_labels(y, lengths=None, *, name="y", x_name="X", kind=None):
    """Validate label sequences against sentence lengths.

    This is sktag's one rule for labels, shared by the estimator, the
    metrics and the writers of :mod:`sktag.io`: one list of labels per
    sentence (in order: not a set or a dict), each label a ``str`` or an
    ``int`` that fits in int64 (all of one kind), and, when ``lengths`` is
    given, exactly one label per token.

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
        If a label is neither str nor int, or str and int labels are mixed,
        or ``y`` or a label sequence is a set or a dict.
    ValueError
        If the number of label sequences or of labels in one sequence does not
        match the sentences, or an int label does not fit in int64.

    Examples
    --------
    >>> check_labels([["DET", "NOUN"], ["VERB"]], [2, 1])
    [['DET', 'NOUN'], ['VERB']]
    >>> check_labels([["DET"], ["VERB"]], [2, 1])
    Traceback (most recent call last):
    ...
    ValueError: sentence 0 has 2 tokens but 1 labels in y; give exactly one label per token.
    """
    n = check_collection(y, name, expected=_LABEL_SEQUENCES)
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
                f"{name}: labels of sentence {i} are {describe_value(seq)}; expected a "
                "list with one label per token."
            )
        if not isinstance(seq, (list, tuple)) and _unordered(seq) is not None:
            raise TypeError(
                f"{name}: labels of sentence {i} are {_unordered(seq)}; give them as a list, "
                "one label per token in order."
            )
        seq = list(seq)
        if length is not None and len(seq) != length:
            raise ValueError(
                f"sentence {i} has {length} tokens but {len(seq)} labels in {name}; "
                "give exactly one label per token."
            )
        for j, label in enumerate(seq):
            this_kind = label_kind(label)
            if this_kind is None:
                raise TypeError(
                    f"{name}: sentence {i}, token {j} has label {describe_value(label)}; "
                    "labels must be str or int."
                )
            if this_kind == "int" and not _INT64_MIN <= label <= _INT64_MAX:
                raise ValueError(
                    f"{name}: sentence {i}, token {j} has label {int(label)}, which does not "
                    "fit in int64; labels must be str or int in [-2**63, 2**63 - 1]. "
                    "Use str labels for larger numbers."
                )
            if kind is None:
                kind = this_kind
            elif this_kind != kind:
                raise TypeError(
                    f"{name}: sentence {i}, token {j} has {this_kind} label "
                    f"{label!r} but {source} {kind}; use one label type."
                )
        out.append([int(v) for v in seq] if kind == "int" else [str(v) for v in seq])
    return out



def check_label_pair(y_true, y_pred):
    """Validate two label-sequence collections against each other.

    The input check of every score of :mod:`sktag.metrics` (and of
    :func:`sktag.plotting.plot_confusion`): ``y_true`` is checked by
    :func:`check_labels`, then ``y_pred`` by the same rule with the lengths
    and the label type of ``y_true``, so every message names the input and
    the sentence at fault.

    Parameters
    ----------
    y_true, y_pred : sequence of sequence of (str or int)
        One label sequence per sentence.

    Returns
    -------
    y_true, y_pred : list of list
        Plain Python lists of plain ``str`` or ``int`` labels.

    Raises
    ------
    TypeError
        If an input is not a collection of label sequences, a label is
        neither str nor int, or str and int labels are mixed.
    ValueError
        If an input is empty, holds no label at all, or the two disagree on
        the number of sentences or on the number of labels of a sentence.
    """
    y_true = check_labels(y_true, name="y_true")
    kind = next((label_kind(label) for seq in y_true for label in seq), None)
    y_pred = check_labels(
        y_pred, [len(seq) for seq in y_true], name="y_pred", x_name="y_true", kind=kind
    )
    if kind is None:
        raise ValueError("y_true and y_pred hold no label: every sentence is empty.")
    return y_true, y_pred

#: sktag trains in float32 (the weights, the loss and its sums): every weight
#: must be a float32 number, and no nonzero weight may be 0 there.
_FLOAT32 = np.finfo(np.float32)
#: The largest total weight of the training tokens. The loss adds up
#: ``weight * loss`` over the tokens of a batch in float32, and a token's loss
#: is at most ``-log(1e-7)`` (Keras clips probabilities), about 16; dividing
#: float32's largest number by 64 leaves room for both.
MAX_TOTAL_WEIGHT = float(_FLOAT32.max) / 64
_RATIOS = "only their ratios matter"


def _check_weight_values(weights, where):
    """Raise if a float64 weight is not finite, negative, or not a float32 number.

    ``where(i)`` names weight ``i`` in the message.
    """
    bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{where(i)} is {weights[i]}; weights must be finite and >= 0.")
    bad = np.flatnonzero(weights > _FLOAT32.max)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{where(i)} is {weights[i]:.3g}, too large for float32, in which sktag trains "
            f"(at most {_FLOAT32.max:.3g}); scale the weights down: {_RATIOS}."
        )
    bad = np.flatnonzero((weights > 0) & (weights.astype(np.float32) == 0))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{where(i)} is {weights[i]:.3g}, which is 0 in float32, in which sktag trains "
            f"(the smallest positive float32 is {_FLOAT32.smallest_subnormal:.3g}); scale the "
            f"weights up: {_RATIOS}."
        )


def _weights_array(sample_weight, n_sentences, name):
    """``sample_weight`` as a 1-D float64 array, or an error naming what is wrong."""
    try:
        weights = np.asarray(sample_weight)
    except (TypeError, ValueError):  # ragged lists: not one array
        weights = None
    if weights is not None and weights.ndim == 1 and weights.dtype.kind in "biuf":
        pass
    elif isinstance(sample_weight, (str, bytes)) or not hasattr(sample_weight, "__len__"):
        raise TypeError(
            f"{name} must be a number or an array-like of numbers, one per sentence; got "
            f"{describe_value(sample_weight)}."
        )
    else:
        values = list(sample_weight)
        for i, value in enumerate(values):
            if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
                if not isinstance(value, Real):
                    raise TypeError(f"{name}[{i}] is {describe_value(value)}; weights must be numbers.")
                continue
            raise ValueError(
                f"{name}[{i}] is {describe_value(value)}, not a number: sktag weighs whole "
                f"sentences, one weight per sentence (each of its tokens gets it), shape "
                f"({n_sentences},). To weigh tokens by their label, use class_weight."
            )
        weights = np.array([float(value) for value in values])
    if weights.shape[0] != n_sentences:
        raise ValueError(
            f"{name} must have one weight per sentence, shape ({n_sentences},); "
            f"got shape {weights.shape}."
        )
    return weights.astype(np.float64)


def check_sentence_weights(sample_weight, n_sentences, *, name="sample_weight"):
    """Validate one weight per sentence: finite, >= 0, a float32 number, not all 0.

    sktag's one rule for ``sample_weight``, used by ``fit``, ``partial_fit``,
    ``validation_data``, ``score`` and the metrics. sktag trains in float32,
    so a weight that float32 cannot hold (above about 3.4e38, or positive
    but below about 1.4e-45) is an error rather than an infinite or zero
    weight. A list of weights per token is an error too: sktag weighs whole
    sentences (``class_weight`` weighs tokens by their label).

    Parameters
    ----------
    sample_weight : float or array-like of shape (n_sentences,) or None
        Weight of each sentence, applied to each of its tokens; one number
        gives every sentence that weight.
    n_sentences : int
        Number of sentences.
    name : str, default="sample_weight"
        Name used in error messages.

    Returns
    -------
    weights : ndarray of shape (n_sentences,), dtype float64, or None

    Raises
    ------
    TypeError
        If a weight is not a number.
    ValueError
        If there is not exactly one weight per sentence, a weight is NaN,
        infinite, negative or not a float32 number, or every weight is 0.

    Examples
    --------
    >>> check_sentence_weights([1, 0.5], 2)
    array([1. , 0.5])
    >>> check_sentence_weights([1, 1e39], 2)
    Traceback (most recent call last):
    ...
    ValueError: sample_weight[1] is 1e+39, too large for float32, in which sktag trains (at most 3.4e+38); scale the weights down: only their ratios matter.
    """
    if sample_weight is None:
        return None
    if isinstance(sample_weight, Real):
        sample_weight = np.full(n_sentences, float(sample_weight))
    weights = _weights_array(sample_weight, n_sentences, name)
    _check_weight_values(weights, lambda i: f"{name}[{i}]")
    if not weights.any():
        raise ValueError(
            f"{name} is zero for every sentence; at least one sentence needs a "
            "positive weight."
        )
    return weights


def check_class_weight(class_weight, classes):
    """Validate a ``class_weight`` dict and return the weight of each class.

    The rule of :func:`check_sentence_weights`, for labels: every weight a
    number, finite, >= 0 (0 leaves that label out of the loss) and a float32
    number, not every label 0, and every key a label of the training data.

    Parameters
    ----------
    class_weight : dict
        Label -> weight; labels not in it weigh 1.
    classes : ndarray of shape (n_classes,)
        The training labels.

    Returns
    -------
    weights : ndarray of shape (n_classes,), dtype float64
        The weight of each class, in the order of ``classes``.

    Raises
    ------
    TypeError
        If a weight is not a number.
    ValueError
        If a key is not a training label, or a weight is NaN, infinite,
        negative or not a float32 number, or every label weighs 0.

    Examples
    --------
    >>> check_class_weight({"O": 0.5}, np.array(["B-PER", "O"], dtype=object))
    array([1. , 0.5])
    """
    known = classes.tolist()
    unknown = set(class_weight) - set(known)
    if unknown:
        raise ValueError(
            f"class_weight names labels not in the training data: {sorted(unknown, key=repr)}; "
            f"known labels: {known[:20]}."
        )
    values = [class_weight.get(label, 1.0) for label in known]
    for label, value in zip(known, values):
        if not isinstance(value, Real) or isinstance(value, (bool, np.bool_)):
            raise TypeError(
                f"class_weight[{label!r}] is {describe_value(value)}; weights must be numbers."
            )
    weights = np.array(values, dtype=np.float64)
    _check_weight_values(weights, lambda i: f"class_weight[{known[i]!r}]")
    if not weights.any():
        raise ValueError(
            "class_weight is 0 for every label; at least one label needs a positive weight."
        )
    return weights


def check_token_weights(sentence_weights, labels, class_weights=None, *,
                        name="sample_weight"):
    """Check that the tokens' weights can train a model in float32.

    A token weighs its sentence's weight times its label's class weight.
    Each may be fine alone (see :func:`check_sentence_weights` and
    :func:`check_class_weight`) and their products not: every token 0
    (nothing to learn), a product that is 0 in float32, or a total that
    float32 cannot add up (above :data:`MAX_TOTAL_WEIGHT`: the loss would be
    infinite, and the model NaN).

    Parameters
    ----------
    sentence_weights : array-like of shape (n_sentences,)
        Checked weight of each sentence.
    labels : list of array-like of int
        Class ids of each sentence's tokens.
    class_weights : ndarray of shape (n_classes,), default=None
        Checked weight of each class; None weighs every class 1.
    name : str, default="sample_weight"
        Name of the sentence weights in error messages.

    Raises
    ------
    ValueError
        If the tokens' weights cannot train.
    """
    what = f"{name} gives" if class_weights is None else f"{name} and class_weight give"
    lengths = np.array([len(seq) for seq in labels])
    tokens = np.repeat(np.asarray(sentence_weights, dtype=np.float64), lengths)
    if class_weights is not None and tokens.size:
        tokens = tokens * np.asarray(class_weights, dtype=np.float64)[np.concatenate(labels)]
    bad = np.flatnonzero((tokens > 0) & (tokens.astype(np.float32) == 0))
    if bad.size:
        i = int(np.searchsorted(np.cumsum(lengths), bad[0], side="right"))
        raise ValueError(
            f"{what} a token of sentence {i} the weight {tokens[bad[0]]:.3g}, which is 0 "
            f"in float32, in which sktag trains; scale the weights up: {_RATIOS}."
        )
    total = tokens.sum()
    if total == 0:
        raise ValueError(
            f"{what} every token the weight 0, so the weighted loss and accuracy are 0 / 0 "
            "(nothing to learn); give some sentences, and their labels, a positive weight."
        )
    if total > MAX_TOTAL_WEIGHT:
        raise ValueError(
            f"{what} the {tokens.size} tokens a total weight of {total:.3g}, more "
            f"than float32 training can add up ({MAX_TOTAL_WEIGHT:.3g}); scale the weights "
            f"down: {_RATIOS}."
        )
