"""Scores for token tagging: token accuracy, entity- and span-level scores, scorers.

The token- and entity-level functions take ``y_true`` and ``y_pred`` in
sktag's convention: a list of sentences, each a list of labels (``str`` or
``int``), one label per token -- exactly what
:meth:`sktag.TokenTagger.predict` returns. Both inputs are checked by the
rule the estimator applies to ``y`` (:func:`sktag.validation.check_labels`;
``y_pred`` against the lengths and label type of ``y_true``), and a mismatch
names the sentence at fault.

Three families of scores are provided:

* **Token-level** -- :func:`token_accuracy` and :func:`classification_report`
  count every token on its own; they suit any tag set (POS tags, noun / other,
  ...).
* **Entity-level** -- :func:`entity_precision_recall_f1`, :func:`entity_f1`,
  :func:`entity_precision`, :func:`entity_recall` and
  :func:`entity_classification_report` count whole chunks ("spans") encoded in
  a BIO-style scheme (IOB1, IOB2, IOE1, IOE2, IOBES, BILOU). They are computed
  with `seqeval <https://github.com/chakki-works/seqeval>`_ and give exactly
  seqeval's figures. :func:`is_bio_tagging` tells whether a label set looks
  like such a scheme.
* **Span-level** -- :func:`span_scores`, :func:`span_error_table` and
  :func:`precision_recall_by_threshold` compare spans (start, end, type,
  score), such as those of :meth:`sktag.TokenTagger.predict_spans`, with
  true spans, which :func:`spans_from_labels` reads from tags: exact-match
  scores, nervaluate's four schemes, the errors per entity type, and the
  effect of dropping low-scoring spans.

The module-level scorers (:data:`token_accuracy_scorer`,
:data:`entity_f1_scorer`, :data:`entity_precision_scorer`,
:data:`entity_recall_scorer`), or :func:`get_scorer` with their names, plug
into ``GridSearchCV(scoring=...)``, ``cross_val_score(scoring=...)`` and
``cross_validate``: they call ``estimator.predict(X)`` and compare the result
with the list-of-lists ``y``.

Examples
--------
>>> from sktag.metrics import token_accuracy, entity_f1
>>> y_true = [["B-PER", "I-PER", "O"], ["O", "B-LOC"]]
>>> y_pred = [["B-PER", "I-PER", "O"], ["O", "O"]]
>>> token_accuracy(y_true, y_pred)
0.8
>>> round(entity_f1(y_true, y_pred), 4)
0.6667
"""

import copy
import itertools
import re
import warnings
from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from seqeval import scheme as _seqeval_scheme
from seqeval.metrics import classification_report as _seqeval_report
from seqeval.metrics.sequence_labeling import get_entities as _seqeval_get_entities
from seqeval.metrics.sequence_labeling import (
    precision_recall_fscore_support as _seqeval_prfs_default,
)
from seqeval.metrics.v1 import precision_recall_fscore_support as _seqeval_prfs_strict
from sklearn.metrics import classification_report as _sklearn_report
from sklearn.metrics import make_scorer

from .validation import (
    check_collection,
    check_label_pair,
    check_labels,
    check_sentence_weights,
    describe_value,
)

__all__ = [
    "SCHEMES",
    "SPAN_SCHEMES",
    "classification_report",
    "entity_classification_report",
    "entity_f1",
    "entity_f1_scorer",
    "entity_precision",
    "entity_precision_recall_f1",
    "entity_precision_scorer",
    "entity_recall",
    "entity_recall_scorer",
    "get_scorer",
    "is_bio_tagging",
    "precision_recall_by_threshold",
    "span_error_table",
    "span_scores",
    "spans_from_labels",
    "token_accuracy",
    "token_accuracy_scorer",
]

#: Tagging schemes understood by the entity-level functions, by name.
SCHEMES = {
    "IOB1": _seqeval_scheme.IOB1,
    "IOB2": _seqeval_scheme.IOB2,
    "IOE1": _seqeval_scheme.IOE1,
    "IOE2": _seqeval_scheme.IOE2,
    "IOBES": _seqeval_scheme.IOBES,
    "BILOU": _seqeval_scheme.BILOU,
}

_MODES = ("default", "strict")
_AVERAGES = ("micro", "macro", "weighted")
_BIO_LABEL = re.compile(r"^[BIESLU]-.+")


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------


def _to_str_labels(y):
    """Labels as str, as seqeval needs them (int labels become "0", "1", ...)."""
    return [[str(label) for label in seq] for seq in y]


def _check_entity_options(scheme, mode):
    """Resolve ``scheme`` to a seqeval scheme class and normalise ``mode``."""
    if mode is None:
        mode = "default"
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {list(_MODES)}, got {mode!r}.")
    if isinstance(scheme, str) and scheme.upper() in SCHEMES:
        name = scheme.upper()
        scheme_cls = SCHEMES[name]
    elif isinstance(scheme, type) and issubclass(scheme, _seqeval_scheme.Token):
        name = scheme.__name__
        scheme_cls = scheme
    else:
        raise ValueError(
            f"scheme must be one of {sorted(SCHEMES)} (or a seqeval.scheme "
            f"class), got {scheme!r}."
        )
    if mode == "default" and scheme_cls is _seqeval_scheme.BILOU:
        raise ValueError(
            "scheme='BILOU' needs mode='strict': the default (conlleval) mode "
            "does not understand the L- and U- prefixes."
        )
    return scheme_cls, mode


# --------------------------------------------------------------------------
# Token-level scores
# --------------------------------------------------------------------------


def token_accuracy(y_true, y_pred, sample_weight=None):
    """Share of tokens, over all sentences, whose predicted label is right.

    Parameters
    ----------
    y_true : list of list of (str or int)
        True labels, one list per sentence, one label per token.
    y_pred : list of list of (str or int)
        Predicted labels, with exactly the shape of ``y_true``.
    sample_weight : array-like of shape (n_sentences,), default=None
        Weight of each sentence, applied to each of its tokens. Weights must
        be finite and non-negative.

    Returns
    -------
    accuracy : float
        Weighted share of correct tokens, between 0 and 1. Sentences are
        flattened, so a long sentence counts more than a short one.

    Raises
    ------
    ValueError
        If an input is empty, the inputs disagree on the number of sentences
        or of labels in a sentence (the message names the sentence), a weight
        is NaN, infinite or negative, or the weights sum to zero over the
        tokens.
    TypeError
        If a label is neither str nor int, or label types are mixed.

    Examples
    --------
    >>> token_accuracy([["DET", "NOUN"], ["VERB"]], [["DET", "VERB"], ["VERB"]])
    0.6666666666666666
    >>> token_accuracy([["DET", "NOUN"], ["VERB"]], [["DET", "VERB"], ["VERB"]],
    ...                sample_weight=[1, 0])
    0.5
    """
    y_true, y_pred = check_label_pair(y_true, y_pred)
    weights = check_sentence_weights(sample_weight, len(y_true))
    lengths = np.array([len(seq) for seq in y_true])
    correct = np.fromiter(
        (t == p for seq_t, seq_p in zip(y_true, y_pred) for t, p in zip(seq_t, seq_p)),
        dtype=bool,
        count=int(lengths.sum()),
    )
    if weights is None:
        return float(correct.mean())
    token_weights = np.repeat(weights, lengths)
    total = token_weights.sum()
    if total == 0:
        raise ValueError(
            "sample_weight gives zero total weight to the tokens; accuracy is "
            "undefined."
        )
    return float(np.dot(token_weights, correct) / total)


def classification_report(
    y_true, y_pred, *, labels=None, digits=2, output_dict=False, zero_division="warn"
):
    """Per-label token-level precision, recall and F1.

    Sentences are flattened and passed to
    :func:`sklearn.metrics.classification_report`: every token is one sample
    and every label (``"NOUN"``, ``"B-PER"``, ``0``, ...) one class.

    Parameters
    ----------
    y_true : list of list of (str or int)
        True labels, one list per sentence.
    y_pred : list of list of (str or int)
        Predicted labels, with exactly the shape of ``y_true``.
    labels : array-like, default=None
        Labels to include in the report, in this order; all labels of
        ``y_true`` and ``y_pred`` (sorted) when None.
    digits : int, default=2
        Number of digits of the floats in the text report.
    output_dict : bool, default=False
        Return a dict (as scikit-learn does) instead of a text table.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        Value of an undefined precision or recall, as in scikit-learn.

    Returns
    -------
    report : str or dict
        Text table, or dict keyed by label (as ``str``), ``"accuracy"`` (or
        ``"micro avg"`` when ``labels`` is a subset), ``"macro avg"`` and
        ``"weighted avg"``.

    See Also
    --------
    entity_classification_report : Scores of whole entities, per entity type.

    Examples
    --------
    >>> report = classification_report([["DET", "NOUN"]], [["DET", "VERB"]],
    ...                                output_dict=True, zero_division=0)
    >>> report["DET"]["f1-score"], report["accuracy"]
    (1.0, 0.5)
    """
    y_true, y_pred = check_label_pair(y_true, y_pred)
    flat_true = [label for seq in y_true for label in seq]
    flat_pred = [label for seq in y_pred for label in seq]
    return _sklearn_report(
        flat_true,
        flat_pred,
        labels=labels,
        digits=digits,
        output_dict=output_dict,
        zero_division=zero_division,
    )


# --------------------------------------------------------------------------
# Entity-level scores
# --------------------------------------------------------------------------


def entity_precision_recall_f1(
    y_true, y_pred, *, scheme="IOB2", mode="default", average="micro",
    zero_division="warn",
):
    """Entity-level precision, recall and F1, computed by seqeval.

    An entity (chunk) counts as found only when its type and its exact span
    are predicted. The figures equal those of ``seqeval.metrics``
    (``precision_score``, ``recall_score``, ``f1_score``) on the same input.

    Parameters
    ----------
    y_true : list of list of (str or int)
        True tags, one list per sentence (e.g. ``["B-PER", "I-PER", "O"]``).
        Int labels are converted to str.
    y_pred : list of list of (str or int)
        Predicted tags, with exactly the shape of ``y_true``.
    scheme : {"IOB2", "IOB1", "IOE1", "IOE2", "IOBES", "BILOU"} or seqeval \
            scheme class, default="IOB2"
        Tagging scheme (case-insensitive). Used by ``mode="strict"``; the
        default mode reads every scheme but BILOU the same way, so there it
        only rejects BILOU.
    mode : {"default", "strict"}, default="default"
        ``"default"`` (or None) is seqeval's conlleval-compatible mode: an
        ill-formed chunk (such as ``I-PER`` right after ``O``) still starts
        an entity. ``"strict"`` parses the tags with ``scheme`` and only
        counts well-formed entities; a prefix the scheme does not allow
        (``S-`` in IOB2) raises seqeval's ValueError.
    average : {"micro", "macro", "weighted"}, default="micro"
        How scores of entity types are combined: over all entities
        (``"micro"``), as the plain mean over types (``"macro"``, NaN when
        there is no entity at all, as in seqeval) or weighted by the number
        of true entities of each type (``"weighted"``).
    zero_division : {"warn", 0, 1}, default="warn"
        Value of an undefined score (no predicted or no true entity);
        ``"warn"`` acts as 0 and warns, as in seqeval.

    Returns
    -------
    precision : float
    recall : float
    f1 : float

    Raises
    ------
    ValueError
        On inputs of different shapes (naming the sentence), an unknown
        ``scheme``, ``mode`` or ``average``, or ``scheme="BILOU"`` in the
        default mode.

    Examples
    --------
    >>> y_true = [["B-PER", "I-PER", "O", "B-LOC"]]
    >>> y_pred = [["B-PER", "I-PER", "O", "O"]]
    >>> entity_precision_recall_f1(y_true, y_pred)
    (1.0, 0.5, 0.6666666666666666)
    """
    y_true, y_pred = check_label_pair(y_true, y_pred)
    scheme_cls, mode = _check_entity_options(scheme, mode)
    if average not in _AVERAGES:
        raise ValueError(f"average must be one of {list(_AVERAGES)}, got {average!r}.")
    y_true, y_pred = _to_str_labels(y_true), _to_str_labels(y_pred)
    if mode == "strict":
        p, r, f, _ = _seqeval_prfs_strict(
            y_true, y_pred, average=average, zero_division=zero_division,
            scheme=scheme_cls,
        )
    else:
        p, r, f, _ = _seqeval_prfs_default(
            y_true, y_pred, average=average, zero_division=zero_division
        )
    return float(p), float(r), float(f)


def entity_precision(y_true, y_pred, **kwargs):
    """Entity-level precision: share of predicted entities that are right.

    Parameters
    ----------
    y_true : list of list of (str or int)
        True tags, one list per sentence.
    y_pred : list of list of (str or int)
        Predicted tags, with exactly the shape of ``y_true``.
    **kwargs
        ``scheme``, ``mode``, ``average``, ``zero_division``, as in
        :func:`entity_precision_recall_f1`.

    Returns
    -------
    precision : float
    """
    return entity_precision_recall_f1(y_true, y_pred, **kwargs)[0]


def entity_recall(y_true, y_pred, **kwargs):
    """Entity-level recall: share of true entities that are found.

    Parameters
    ----------
    y_true : list of list of (str or int)
        True tags, one list per sentence.
    y_pred : list of list of (str or int)
        Predicted tags, with exactly the shape of ``y_true``.
    **kwargs
        ``scheme``, ``mode``, ``average``, ``zero_division``, as in
        :func:`entity_precision_recall_f1`.

    Returns
    -------
    recall : float
    """
    return entity_precision_recall_f1(y_true, y_pred, **kwargs)[1]


def entity_f1(y_true, y_pred, **kwargs):
    """Entity-level F1: harmonic mean of entity precision and recall.

    Parameters
    ----------
    y_true : list of list of (str or int)
        True tags, one list per sentence.
    y_pred : list of list of (str or int)
        Predicted tags, with exactly the shape of ``y_true``.
    **kwargs
        ``scheme``, ``mode``, ``average``, ``zero_division``, as in
        :func:`entity_precision_recall_f1`.

    Returns
    -------
    f1 : float

    Examples
    --------
    >>> entity_f1([["B-PER", "I-PER", "O"]], [["B-PER", "I-PER", "O"]])
    1.0
    """
    return entity_precision_recall_f1(y_true, y_pred, **kwargs)[2]


def _has_entity(y, scheme_cls, mode):
    """Whether ``y`` (str labels) holds at least one entity for seqeval."""
    if mode == "strict":
        return any(_seqeval_scheme.Entities(y, scheme_cls).entities)
    with warnings.catch_warnings():
        # seqeval warns "... seems not to be NE tag." for every odd label; the
        # real computation repeats those warnings, so silence them here.
        warnings.simplefilter("ignore")
        return bool(_seqeval_get_entities(y))


def entity_classification_report(
    y_true, y_pred, *, scheme="IOB2", mode="default", digits=2, output_dict=False,
    zero_division="warn",
):
    """Entity-level precision, recall and F1 per entity type, by seqeval.

    Wraps :func:`seqeval.metrics.classification_report`.

    Parameters
    ----------
    y_true : list of list of (str or int)
        True tags, one list per sentence. Int labels are converted to str.
    y_pred : list of list of (str or int)
        Predicted tags, with exactly the shape of ``y_true``.
    scheme : str or seqeval scheme class, default="IOB2"
        Tagging scheme, as in :func:`entity_precision_recall_f1`.
    mode : {"default", "strict"}, default="default"
        Parsing mode, as in :func:`entity_precision_recall_f1`.
    digits : int, default=2
        Number of digits of the floats in the text report.
    output_dict : bool, default=False
        Return a dict keyed by entity type and ``"micro avg"``,
        ``"macro avg"``, ``"weighted avg"`` instead of a text table.
    zero_division : {"warn", 0, 1}, default="warn"
        Value of an undefined score, as in seqeval.

    Returns
    -------
    report : str or dict

    Raises
    ------
    ValueError
        If neither ``y_true`` nor ``y_pred`` holds an entity (seqeval itself
        would fail with an obscure ``max()`` error), or on bad input as in
        :func:`entity_precision_recall_f1`.

    Examples
    --------
    >>> report = entity_classification_report(
    ...     [["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "O"]],
    ...     output_dict=True, zero_division=0)
    >>> float(report["PER"]["f1-score"]), float(report["LOC"]["recall"])
    (1.0, 0.0)
    """
    y_true, y_pred = check_label_pair(y_true, y_pred)
    scheme_cls, mode = _check_entity_options(scheme, mode)
    y_true, y_pred = _to_str_labels(y_true), _to_str_labels(y_pred)
    if not (_has_entity(y_true, scheme_cls, mode) or _has_entity(y_pred, scheme_cls, mode)):
        raise ValueError(
            "neither y_true nor y_pred holds an entity under this scheme and mode; "
            "there is nothing to report. Use classification_report for "
            "token-level scores."
        )
    kwargs = {"scheme": scheme_cls} if mode == "strict" else {}
    return _seqeval_report(
        y_true, y_pred, digits=digits, output_dict=output_dict,
        mode="strict" if mode == "strict" else None,
        zero_division=zero_division, **kwargs,
    )


def is_bio_tagging(labels):
    """Whether labels look like a BIO-style entity tagging.

    True when there is at least one label and every label is ``"O"`` or starts
    with one of the prefixes ``B-``, ``I-``, ``E-``, ``S-``, ``L-``, ``U-``
    followed by a type (regular expression ``^[BIESLU]-.+``). Use it to decide
    whether entity-level scores make sense for a tag set.

    Parameters
    ----------
    labels : iterable of labels, or of label sequences
        A flat collection of labels (such as ``TokenTagger.classes_``) or
        one list of labels per sentence (such as ``y``); sequences are
        flattened one level.

    Returns
    -------
    bool
        False for int labels, POS-style tags, or no label at all.

    Examples
    --------
    >>> is_bio_tagging(["O", "B-PER", "I-PER"])
    True
    >>> is_bio_tagging([["NOUN", "VERB"]])
    False
    """
    if labels is None or isinstance(labels, (str, bytes)):
        return False
    seen = False
    for item in labels:
        items = (
            item
            if not isinstance(item, (str, bytes)) and hasattr(item, "__iter__")
            else [item]
        )
        for label in items:
            if not isinstance(label, str):
                return False
            if label != "O" and not _BIO_LABEL.match(label):
                return False
            seen = True
    return seen


# --------------------------------------------------------------------------
# Span-level scores
# --------------------------------------------------------------------------

#: The nervaluate schemes computed by :func:`span_scores`, in report order.
SPAN_SCHEMES = ("strict", "exact", "partial", "ent_type")

_POSITIONS = (None, "char", "token")
_COUNTS = ("correct", "incorrect", "partial", "missed", "spurious")
_ERROR_COLUMNS = (
    "correct", "wrong_type", "wrong_boundary", "wrong_type_and_boundary",
    "missed", "spurious", "support",
)


def spans_from_labels(y, *, scheme="IOB2", mode="default", offsets=None):
    """Entity spans of tag sequences, as ``(start, end, label)`` tuples.

    Turns gold (or predicted) BIO-style tags into the spans that
    :func:`span_scores` and :func:`span_error_table` compare, so that the
    output of :meth:`TokenTagger.predict_spans <sktag.TokenTagger.predict_spans>`
    can be scored against an IOB2 corpus. Entities are read by seqeval, as
    the entity-level scores read them.

    Parameters
    ----------
    y : list of list of str
        Tags, one list per sentence (e.g. ``["B-PER", "I-PER", "O"]``).
    scheme : {"IOB2", "IOB1", "IOE1", "IOE2", "IOBES", "BILOU"} or seqeval \
            scheme class, default="IOB2"
        Tagging scheme, as in :func:`entity_precision_recall_f1`.
    mode : {"default", "strict"}, default="default"
        ``"default"`` reads entities as conlleval does (an ``I-PER`` after
        ``O`` still begins one); ``"strict"`` keeps only entities that are
        well formed in ``scheme``. Both are the entities that
        :func:`entity_precision_recall_f1` counts in that mode.
    offsets : list of list of (int, int), default=None
        Character offsets ``(start, end)`` of every token, one list per
        sentence. When given, spans are in characters (from the start of
        the first token to the end of the last) instead of token indices.

    Returns
    -------
    spans : list of list of tuple
        Per sentence, its entities as ``(start, end, label)`` in order:
        token indices with ``end`` exclusive (``tokens[start:end]`` is the
        entity), or character offsets when ``offsets`` is given; ``label``
        is the entity type without its prefix.

    Raises
    ------
    ValueError
        On tags that do not match (see :func:`sktag.validation.check_labels`),
        an unknown ``scheme`` or ``mode``, or ``offsets`` of another shape
        than ``y`` (the message names the sentence).

    See Also
    --------
    span_scores : Scores of predicted spans against these.

    Examples
    --------
    >>> spans_from_labels([["B-PER", "I-PER", "O", "B-LOC"], ["O"]])
    [[(0, 2, 'PER'), (3, 4, 'LOC')], []]
    >>> spans_from_labels([["O", "I-PER"]], mode="strict")
    [[]]
    >>> spans_from_labels([["B-PER", "I-PER"]], offsets=[[(0, 4), (5, 10)]])
    [[(0, 10, 'PER')]]
    """
    y = _to_str_labels(check_labels(y))
    scheme_cls, mode = _check_entity_options(scheme, mode)
    if mode == "strict":
        entities = [
            [(e.start, e.end, e.tag) for e in sentence]
            for sentence in _seqeval_scheme.Entities(y, scheme_cls).entities
        ]
    else:
        # get_entities joins a list of sentences; one call per sentence keeps
        # the indices of each. Its ends are inclusive.
        entities = [
            sorted((start, end + 1, tag) for tag, start, end in _seqeval_get_entities(seq))
            for seq in y
        ]
    if offsets is None:
        return entities
    offsets = _check_offsets(offsets, [len(seq) for seq in y])
    return [
        [(spans[start][0], spans[end - 1][1], label) for start, end, label in sentence]
        for sentence, spans in zip(entities, offsets)
    ]


def _check_offsets(offsets, lengths):
    """Validate one ``(start, end)`` pair of ints per token."""
    if isinstance(offsets, (str, bytes)) or not hasattr(offsets, "__len__"):
        raise TypeError(
            "offsets must be a list with one list of (start, end) pairs per sentence, "
            f"got {describe_value(offsets)}."
        )
    if len(offsets) != len(lengths):
        raise ValueError(
            f"y has {len(lengths)} sentences but offsets has {len(offsets)}; give one "
            "list of (start, end) pairs per sentence."
        )
    out = []
    for i, (pairs, length) in enumerate(zip(offsets, lengths)):
        pairs = list(pairs)
        if len(pairs) != length:
            raise ValueError(
                f"sentence {i} has {length} tags but {len(pairs)} offsets; give one "
                "(start, end) pair per token."
            )
        for j, pair in enumerate(pairs):
            if not (
                hasattr(pair, "__len__") and len(pair) == 2 and all(map(_is_int, pair))
            ):
                raise TypeError(
                    f"offsets: sentence {i}, token {j} is {describe_value(pair)}; expected "
                    "a (start, end) pair of ints."
                )
        out.append([(int(a), int(b)) for a, b in pairs])
    return out


def _is_int(value):
    return isinstance(value, (Integral, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


def _span_fields(span, positions, name, i, j):
    """``(start, end, label, score, is_tuple)`` of one span, checked."""
    where = f"{name}: sentence {i}, span {j}"
    if isinstance(span, Mapping):
        get, has = span.get, span.__contains__
    elif hasattr(span, "label") and (hasattr(span, "start") or hasattr(span, "token_start")):
        def get(key, default=None):
            return getattr(span, key, default)

        def has(key):
            return hasattr(span, key)
    elif isinstance(span, (tuple, list)) and len(span) in (3, 4):
        start, end, label = span[:3]
        score = span[3] if len(span) == 4 else None
        return _checked_span(where, start, end, label, score) + (True,)
    else:
        raise TypeError(
            f"{where} is {describe_value(span)}; expected a (start, end, label) tuple, a "
            "mapping or an object with start, end and label (as "
            "TokenTagger.predict_spans returns)."
        )
    keys = ("token_start", "token_end") if positions == "token" else ("start", "end")
    missing = [key for key in keys + ("label",) if not has(key) or get(key) is None]
    if missing:
        hint = ""
        if positions == "token" and "label" not in missing:
            hint = (
                " positions='token' reads token_start and token_end; use "
                "positions='char' to compare start and end."
            )
        raise TypeError(f"{where} has no {' or '.join(missing)}.{hint}")
    fields = _checked_span(
        where, get(keys[0]), get(keys[1]), get("label"), get("score"), names=keys
    )
    return fields + (False,)


def _checked_span(where, start, end, label, score, names=("start", "end")):
    """Check the fields of one span; ``names`` are those of its positions."""
    first, last = names
    if not (_is_int(start) and _is_int(end)):
        raise TypeError(
            f"{where} has {first} {describe_value(start)} and {last} {describe_value(end)}; "
            "both must be ints."
        )
    if not 0 <= start <= end:
        raise ValueError(
            f"{where} has {first} {start} and {last} {end}; expected 0 <= {first} <= "
            f"{last} ({last} is exclusive, as in tokens[{first}:{last}])."
        )
    if not isinstance(label, str):
        raise TypeError(
            f"{where} has label {describe_value(label)}; the label must be a str, the "
            "entity type (such as 'PER')."
        )
    if score is not None:
        if not isinstance(score, (Real, np.floating, np.integer)) or isinstance(
            score, (bool, np.bool_)
        ) or not np.isfinite(score):
            raise ValueError(f"{where} has score {describe_value(score)}; expected a finite number.")
        score = float(score)
    return int(start), int(end), label, score


def _check_span_lists(spans, name, positions):
    """Spans as lists of ``(start, end, label, score)`` per sentence, sorted.

    Also returns which kinds of span were seen (``{"tuple", "object"}``).
    """
    n = check_collection(spans, name, expected="a list with one list of spans per sentence")
    out, kinds = [], set()
    for i, seq in enumerate(spans):
        if (
            isinstance(seq, Mapping)
            or hasattr(seq, "label")
            or (isinstance(seq, tuple) and len(seq) in (3, 4) and _is_int(seq[0]))
        ):
            raise TypeError(
                f"{name}: sentence {i} is one span, {describe_value(seq)}, not a list of "
                "spans; give one list of spans per sentence, such as "
                "[[(0, 2, 'PER')], []]."
            )
        if seq is None or isinstance(seq, (str, bytes)) or not hasattr(seq, "__iter__"):
            raise TypeError(
                f"{name}: spans of sentence {i} are {describe_value(seq)}; expected a list "
                "of spans (an empty list for a sentence without any)."
            )
        sentence = []
        for j, span in enumerate(seq):
            *fields, is_tuple = _span_fields(span, positions, name, i, j)
            kinds.add("tuple" if is_tuple else "object")
            sentence.append(tuple(fields))
        sentence.sort(key=lambda s: (s[0], s[1]))
        out.append(sentence)
    return out, kinds, n


def _check_span_pair(true_spans, pred_spans, labels, positions):
    """Check both inputs; keep only spans whose label is in ``labels``."""
    if positions not in _POSITIONS:
        raise ValueError(
            f"positions must be one of {list(_POSITIONS)}, got {positions!r}."
        )
    true, true_kinds, n_true = _check_span_lists(true_spans, "true_spans", positions)
    pred, pred_kinds, n_pred = _check_span_lists(pred_spans, "pred_spans", positions)
    if n_true != n_pred:
        raise ValueError(
            f"true_spans has {n_true} sentences but pred_spans has {n_pred}; they must "
            "match one to one."
        )
    if positions is None and (true_kinds | pred_kinds) == {"tuple", "object"}:
        tuples = "true_spans" if "tuple" in true_kinds else "pred_spans"
        objects = "pred_spans" if "object" in pred_kinds else "true_spans"
        raise ValueError(
            f"{tuples} holds (start, end, label) tuples and {objects} span objects; "
            "say which positions of the span objects the tuples' are: "
            "positions='token' (their token_start and token_end, as "
            "spans_from_labels gives) or positions='char' (their start and end)."
        )
    if labels is None:
        labels = sorted({s[2] for doc in true + pred for s in doc})
    else:
        if isinstance(labels, str) or not hasattr(labels, "__iter__"):
            raise TypeError(f"labels must be a list of entity types, got {describe_value(labels)}.")
        labels = list(labels)
        keep = set(labels)
        true = [[s for s in doc if s[2] in keep] for doc in true]
        pred = [[s for s in doc if s[2] in keep] for doc in pred]
    return true, pred, labels


def _overlaps(pred, true):
    """Whether ``pred`` overlaps ``true`` as nervaluate counts it.

    Same boundaries, or a common part of at least 1% of ``true``
    (nervaluate's default ``min_overlap_percentage=1``); ends are exclusive.
    """
    if pred[0] == true[0] and pred[1] == true[1]:
        return True
    common = min(pred[1], true[1]) - max(pred[0], true[0])
    return common > 0 and 100 * common >= true[1] - true[0]


def _match_sentence(true, pred, scheme):
    """nervaluate's matching of one sentence under ``scheme``.

    Returns ``(outcomes, matched)``: for each predicted span, ``(outcome,
    true_index)`` with outcome one of "correct", "incorrect", "partial",
    "spurious" (true_index None), and the set of matched true indices.
    """
    matched, outcomes = set(), []
    for p in pred:
        exact_hit = candidate = None
        best_distance = None
        for t_idx, t in enumerate(true):
            if t_idx in matched:
                continue
            same_bounds = p[0] == t[0] and p[1] == t[1]
            if scheme == "strict":
                if same_bounds and p[2] == t[2]:
                    exact_hit = t_idx
                    break
                if candidate is None and _overlaps(p, t):
                    candidate = t_idx
            elif scheme == "exact":
                if same_bounds:
                    exact_hit = t_idx
                    break
                if candidate is None and _overlaps(p, t):
                    candidate = t_idx
            elif scheme == "partial":
                if _overlaps(p, t):
                    if same_bounds:
                        exact_hit = t_idx
                        break
                    if candidate is None:
                        candidate = t_idx
            elif _overlaps(p, t):  # ent_type: the closest true span of the same type
                if p[2] == t[2]:
                    distance = abs(p[0] - t[0]) + abs(p[1] - t[1])
                    if best_distance is None or distance < best_distance:
                        exact_hit, best_distance = t_idx, distance
                elif candidate is None:
                    candidate = t_idx
        if exact_hit is not None:
            outcomes.append(("correct", exact_hit))
            matched.add(exact_hit)
        elif candidate is not None:
            outcomes.append(("partial" if scheme == "partial" else "incorrect", candidate))
            matched.add(candidate)
        else:
            outcomes.append(("spurious", None))
    return outcomes, matched


def _count(true, pred, scheme):
    """nervaluate's counts of ``scheme`` over all sentences."""
    counts = dict.fromkeys(_COUNTS, 0)
    for t_doc, p_doc in zip(true, pred):
        outcomes, matched = _match_sentence(t_doc, p_doc, scheme)
        for outcome, _ in outcomes:
            counts[outcome] += 1
        counts["missed"] += len(t_doc) - len(matched)
    return counts


def _with_scores(counts, scheme, zero_division):
    """Add nervaluate's possible, actual, precision, recall and F1 to ``counts``."""
    out = dict(counts)
    out["possible"] = possible = (
        counts["correct"] + counts["incorrect"] + counts["partial"] + counts["missed"]
    )
    out["actual"] = actual = (
        counts["correct"] + counts["incorrect"] + counts["partial"] + counts["spurious"]
    )
    hits = counts["correct"]
    if scheme in ("partial", "ent_type"):
        hits += 0.5 * counts["partial"]
    precision = hits / actual if actual else float(zero_division)
    recall = hits / possible if possible else float(zero_division)
    if np.isnan(precision) or np.isnan(recall):
        f1 = float("nan")
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out.update(precision=float(precision), recall=float(recall), f1=float(f1))
    return out


def _check_zero_division(zero_division):
    if isinstance(zero_division, bool) or not (
        zero_division in (0, 1) or (isinstance(zero_division, float) and np.isnan(zero_division))
    ):
        raise ValueError(
            f"zero_division must be 0.0, 1.0 or np.nan, got {zero_division!r}."
        )


def span_scores(true_spans, pred_spans, *, labels=None, positions=None, zero_division=0.0):
    """Span-level precision, recall and F1: exact match and nervaluate's schemes.

    Compares predicted spans (such as those of
    :meth:`TokenTagger.predict_spans <sktag.TokenTagger.predict_spans>`)
    with true ones, sentence by sentence. The headline figures are those of
    the ``"strict"`` scheme: a predicted span is right only with exactly the
    boundaries and the type of a true span. The four schemes of
    `nervaluate <https://github.com/MantisAI/nervaluate>`_ (version 1.2;
    Segura-Bedmar et al., SemEval-2013 Task 9.1) are reproduced, with its
    counting:

    ================  ==============================================
    ``"strict"``      exact boundaries and the same type
    ``"exact"``       exact boundaries, any type
    ``"partial"``     overlapping boundaries, any type; an overlap
                      that is not exact counts half (``partial``)
    ``"ent_type"``    overlapping boundaries and the same type
    ================  ==============================================

    Each predicted span is *correct*, *incorrect*, *partial* or
    *spurious* (it overlaps no true span); each true span not matched is
    *missed*. Then ``possible = COR + INC + PAR + MIS`` (true spans),
    ``actual = COR + INC + PAR + SPU`` (predicted spans), and
    ``precision = COR / actual``, ``recall = COR / possible`` for
    ``"strict"`` and ``"exact"``, ``(COR + 0.5 PAR) / actual`` and
    ``(COR + 0.5 PAR) / possible`` for ``"partial"`` and ``"ent_type"``;
    ``f1 = 2 P R / (P + R)``.

    Parameters
    ----------
    true_spans : list of list of span
        True spans, one list per sentence (an empty list for a sentence
        without any). A span is a mapping with keys ``start``, ``end`` and
        ``label``, an object with those attributes (such as the spans of
        ``predict_spans``), or a plain ``(start, end, label)`` tuple (such
        as :func:`spans_from_labels` gives). ``start`` and ``end`` are ints,
        ``end`` exclusive; ``label`` is the entity type without prefix.
        Other keys or attributes (``text``, ``score``) are ignored.
    pred_spans : list of list of span
        Predicted spans, in the same form, one list per sentence of
        ``true_spans``.
    labels : list of str, default=None
        Entity types to score; spans of other types are left out of both
        inputs (nervaluate's ``tags``). None scores every type seen.
    positions : {None, "char", "token"}, default=None
        Which positions of a span object or mapping are compared: ``"char"``
        its ``start`` and ``end``, ``"token"`` its ``token_start`` and
        ``token_end``. A tuple's are its first two items either way. None
        reads ``start`` and ``end``, and refuses to compare tuples with span
        objects, whose positions may be of another kind (use ``"token"`` to
        score ``predict_spans`` against :func:`spans_from_labels`).
    zero_division : {0.0, 1.0, np.nan}, default=0.0
        Precision when no span is predicted, recall when there is no true
        span (nervaluate uses 0).

    Returns
    -------
    scores : dict
        ``"precision"``, ``"recall"``, ``"f1"``: the strict figures.
        ``"strict"``, ``"exact"``, ``"partial"``, ``"ent_type"``: a dict of
        ``correct``, ``incorrect``, ``partial``, ``missed``, ``spurious``,
        ``possible``, ``actual``, ``precision``, ``recall``, ``f1`` each.
        ``"per_type"``: for each entity type, the same four dicts, computed
        as nervaluate does on the spans of that type alone (so a span of
        another type is spurious or missed there, never incorrect).

    Raises
    ------
    ValueError
        If the inputs do not hold the same number of sentences, a span has
        ``start > end``, or tuples are mixed with span objects while
        ``positions`` is None.
    TypeError
        If a span is not one of the forms above, or its positions are not
        ints or its label not a str; the message names sentence and span.

    See Also
    --------
    span_error_table : The errors behind these scores, per entity type.
    spans_from_labels : True spans from IOB2 (or other) tags.
    entity_precision_recall_f1 : The strict scores from tags, by seqeval.

    Notes
    -----
    Matching follows nervaluate 1.2's strategies: within a sentence, spans
    are taken in order of ``(start, end)``; each predicted span is matched
    to at most one true span and each true span to at most one predicted
    span, greedily in that order. Two spans overlap when they share at
    least 1% of the true span (nervaluate's default
    ``min_overlap_percentage``). Ends here are exclusive, as in Python
    slices and in ``predict_spans``; nervaluate's are inclusive, so give it
    ``end - 1`` to compare. On spans from tags (which never overlap each
    other), ``"strict"`` equals seqeval's entity scores.

    Examples
    --------
    The six scenarios of nervaluate's README, one sentence of token spans:

    >>> true = [[(0, 1, "BRAND"), (4, 5, "DRUG"), (6, 7, "DRUG"), (8, 9, "DRUG"),
    ...          (10, 11, "GROUP")]]
    >>> pred = [[(2, 3, "BRAND"), (3, 5, "DRUG"), (6, 7, "BRAND"), (8, 9, "DRUG"),
    ...          (9, 11, "DRUG")]]
    >>> scores = span_scores(true, pred)
    >>> {scheme: scores[scheme]["correct"] for scheme in SPAN_SCHEMES}
    {'strict': 1, 'exact': 2, 'partial': 2, 'ent_type': 2}
    >>> scores["partial"]["partial"], scores["partial"]["precision"]
    (2, 0.6)
    >>> round(scores["f1"], 4)
    0.2
    """
    _check_zero_division(zero_division)
    true, pred, labels = _check_span_pair(true_spans, pred_spans, labels, positions)
    scores = {}
    for scheme in SPAN_SCHEMES:
        scores[scheme] = _with_scores(_count(true, pred, scheme), scheme, zero_division)
    per_type = {}
    for label in labels:
        true_l = [[s for s in doc if s[2] == label] for doc in true]
        pred_l = [[s for s in doc if s[2] == label] for doc in pred]
        per_type[label] = {
            scheme: _with_scores(_count(true_l, pred_l, scheme), scheme, zero_division)
            for scheme in SPAN_SCHEMES
        }
    strict = scores["strict"]
    return {
        "precision": strict["precision"],
        "recall": strict["recall"],
        "f1": strict["f1"],
        **scores,
        "per_type": per_type,
    }


def span_error_table(
    true_spans, pred_spans, *, labels=None, positions=None, output_dict=False
):
    """Counts of each kind of span error, per entity type.

    Breaks the ``"strict"`` scheme of :func:`span_scores` down: each
    predicted span matched to a true span (as that scheme matches them) is
    *correct* (same boundaries and type), of the *wrong type* (same
    boundaries), of the *wrong boundary* (same type, overlapping) or of the
    *wrong type and boundary*; a predicted span that overlaps no true span
    is *spurious*, a true span that no prediction matched is *missed*.

    Parameters
    ----------
    true_spans : list of list of span
        True spans, one list per sentence, as in :func:`span_scores`.
    pred_spans : list of list of span
        Predicted spans, one list per sentence.
    labels : list of str, default=None
        Entity types to report (and to keep in both inputs); None reports
        every type seen, sorted.
    positions : {None, "char", "token"}, default=None
        Which positions of span objects are compared, as in
        :func:`span_scores`.
    output_dict : bool, default=False
        Return a dict instead of a text table.

    Returns
    -------
    table : str or dict
        A text table like :func:`sklearn.metrics.classification_report`'s,
        or a dict keyed by entity type and ``"total"``, each a dict of the
        counts ``correct``, ``wrong_type``, ``wrong_boundary``,
        ``wrong_type_and_boundary``, ``missed``, ``spurious`` and
        ``support`` (the number of true spans). A matched pair, and a
        missed span, count for the type of the true span; a spurious span
        for its own type. So per type, ``support`` is the sum of the first
        five counts, and in ``"total"`` ``correct`` is the strict scheme's
        correct, the three ``wrong_*`` sum to its incorrect.

    Raises
    ------
    ValueError, TypeError
        On bad spans, as in :func:`span_scores`.

    See Also
    --------
    span_scores : Precision, recall and F1 of the same spans.

    Examples
    --------
    >>> true = [[(0, 2, "PER"), (3, 4, "LOC"), (6, 7, "ORG")]]
    >>> pred = [[(0, 2, "PER"), (3, 4, "ORG"), (5, 7, "ORG"), (8, 9, "LOC")]]
    >>> table = span_error_table(true, pred, output_dict=True)
    >>> table["LOC"]
    {'correct': 0, 'wrong_type': 1, 'wrong_boundary': 0, 'wrong_type_and_boundary': 0, \
'missed': 0, 'spurious': 1, 'support': 1}
    >>> print(span_error_table(true, pred))
           correct  wrong type  wrong boundary  wrong type and boundary  missed  spurious  support
    <BLANKLINE>
      LOC        0           1               0                        0       0         1        1
      ORG        0           0               1                        0       0         0        1
      PER        1           0               0                        0       0         0        1
    <BLANKLINE>
    total        1           1               1                        0       0         1        3
    """
    true, pred, labels = _check_span_pair(true_spans, pred_spans, labels, positions)
    rows = {label: dict.fromkeys(_ERROR_COLUMNS, 0) for label in labels}
    for t_doc, p_doc in zip(true, pred):
        outcomes, matched = _match_sentence(t_doc, p_doc, "strict")
        for p, (outcome, t_idx) in zip(p_doc, outcomes):
            if t_idx is None:
                rows[p[2]]["spurious"] += 1
                continue
            t = t_doc[t_idx]
            same_type = p[2] == t[2]
            same_bounds = p[0] == t[0] and p[1] == t[1]
            column = (
                "correct" if same_type and same_bounds
                else "wrong_type" if same_bounds
                else "wrong_boundary" if same_type
                else "wrong_type_and_boundary"
            )
            rows[t[2]][column] += 1
        for t_idx, t in enumerate(t_doc):
            rows[t[2]]["support"] += 1
            if t_idx not in matched:
                rows[t[2]]["missed"] += 1
    total = {column: sum(row[column] for row in rows.values()) for column in _ERROR_COLUMNS}
    if output_dict:
        return {**rows, "total": total}
    headers = [column.replace("_", " ") for column in _ERROR_COLUMNS]
    width = max([len("total")] + [len(str(label)) for label in labels])
    line = "{:>{width}}" + "".join(f"  {{:>{len(h)}}}" for h in headers)
    text = [line.format("", *headers, width=width), ""]
    text += [line.format(label, *row.values(), width=width) for label, row in rows.items()]
    text += ["", line.format("total", *total.values(), width=width)]
    return "\n".join(text)


def precision_recall_by_threshold(
    true_spans, pred_spans, thresholds=None, *, labels=None, positions=None,
    zero_division=0.0,
):
    """Strict span precision and recall when spans below a score are dropped.

    For each threshold, only the predicted spans whose ``score`` is at
    least the threshold are kept, and they are scored as the ``"strict"``
    scheme of :func:`span_scores` scores them. Use it to choose the score
    below which :meth:`TokenTagger.predict_spans
    <sktag.TokenTagger.predict_spans>` output is discarded;
    :func:`sktag.plotting.plot_precision_recall_threshold` draws it.

    Parameters
    ----------
    true_spans : list of list of span
        True spans, one list per sentence, as in :func:`span_scores`.
    pred_spans : list of list of span
        Predicted spans; each must have a finite ``score`` (a key or an
        attribute, or the fourth item of a tuple ``(start, end, label,
        score)``).
    thresholds : array-like of float, default=None
        Thresholds, in the order to report them. None takes every distinct
        score of ``pred_spans``, ascending (the first keeps every span).
    labels : list of str, default=None
        Entity types to keep, as in :func:`span_scores`.
    positions : {None, "char", "token"}, default=None
        Which positions of span objects are compared, as in
        :func:`span_scores`.
    zero_division : {0.0, 1.0, np.nan}, default=0.0
        Precision when no span is kept, recall when there is no true span.

    Returns
    -------
    curve : dict of numpy.ndarray
        ``"threshold"``, ``"precision"``, ``"recall"``, ``"f1"`` (float) and
        ``"n_predicted"`` (int, the spans kept), one value per threshold.

    Raises
    ------
    ValueError
        If a predicted span has no score, ``thresholds`` is not a flat list
        of finite numbers, or ``thresholds`` is None and there is no
        predicted span; or on bad spans, as in :func:`span_scores`.

    Notes
    -----
    When the predicted spans of a sentence do not overlap each other (as
    ``predict_spans`` and :func:`spans_from_labels` give them), a kept span
    is right whatever else is kept, so ``n_predicted`` and recall never
    increase with the threshold. A sentence with overlapping predictions is
    matched again at each of its scores; there, dropping a span can free a
    true span for another, so recall can rise with the threshold.

    Examples
    --------
    >>> true = [[(0, 2, "PER"), (3, 4, "LOC")]]
    >>> pred = [[{"start": 0, "end": 2, "label": "PER", "score": 0.9},
    ...          {"start": 3, "end": 4, "label": "ORG", "score": 0.4}]]
    >>> curve = precision_recall_by_threshold(true, pred, positions="char")
    >>> curve["threshold"].tolist(), curve["precision"].tolist(), curve["recall"].tolist()
    ([0.4, 0.9], [0.5, 1.0], [0.5, 0.5])
    >>> curve["n_predicted"].tolist()
    [2, 1]
    """
    _check_zero_division(zero_division)
    true, pred, _ = _check_span_pair(true_spans, pred_spans, labels, positions)
    for i, doc in enumerate(pred):
        for span in doc:
            if span[3] is None:
                raise ValueError(
                    f"pred_spans: sentence {i} has a span without a score, "
                    f"{span[:3]}; every predicted span needs a score to be thresholded "
                    "(TokenTagger.predict_spans gives one)."
                )
    scores = np.array([span[3] for doc in pred for span in doc], dtype=float)
    if thresholds is None:
        if scores.size == 0:
            raise ValueError(
                "pred_spans holds no span, so there is no score to take thresholds "
                "from; pass thresholds=..."
            )
        thresholds = np.unique(scores)
    else:
        try:
            thresholds = np.asarray(thresholds, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"thresholds must be a list of numbers, got {describe_value(thresholds)}."
            ) from None
        if thresholds.ndim != 1 or not np.isfinite(thresholds).all():
            raise ValueError(
                "thresholds must be a flat list of finite numbers, got an array of "
                f"shape {thresholds.shape}."
            )
    n_true = sum(len(doc) for doc in true)
    kept = _count_at_least(scores, thresholds)
    correct = _correct_at_least(true, pred, thresholds)
    rows = [
        _with_scores(
            {"correct": int(c), "incorrect": 0, "partial": 0,
             "missed": n_true - int(c), "spurious": int(k) - int(c)},
            "strict", zero_division,
        )
        for c, k in zip(correct, kept)
    ]
    return {
        "threshold": thresholds,
        "precision": np.array([row["precision"] for row in rows], dtype=float),
        "recall": np.array([row["recall"] for row in rows], dtype=float),
        "f1": np.array([row["f1"] for row in rows], dtype=float),
        "n_predicted": kept,
    }


def _correct_at_least(true, pred, thresholds):
    """Strict ``correct`` count for each threshold, sentence by sentence.

    In a sentence whose predicted spans do not overlap, a kept span is
    correct exactly when it equals a true span, whatever else is kept.
    Otherwise the sentence is matched again for each of its own scores: its
    count only changes there.
    """
    thresholds = np.asarray(thresholds, dtype=float)
    hit_scores, correct = [], np.zeros(len(thresholds), dtype=int)
    for t_doc, p_doc in zip(true, pred):
        if _no_overlap(p_doc):
            true_set = {s[:3] for s in t_doc}
            hit_scores += [s[3] for s in p_doc if s[:3] in true_set]
            continue
        levels = np.unique([s[3] for s in p_doc])
        counts = [
            _count([t_doc], [[s for s in p_doc if s[3] >= level]], "strict")["correct"]
            for level in levels
        ]
        # Keeping scores >= threshold keeps those >= the first level >= it.
        correct += np.array(counts + [0])[np.searchsorted(levels, thresholds, side="left")]
    return correct + _count_at_least(np.array(hit_scores, dtype=float), thresholds)


def _count_at_least(values, thresholds):
    """For each threshold, how many of ``values`` are at least that."""
    values = np.sort(values)
    return (len(values) - np.searchsorted(values, thresholds, side="left")).astype(int)


def _no_overlap(doc):
    """Whether no two spans of a sorted sentence share a position or their bounds."""
    end = None
    for previous, span in itertools.pairwise(doc):
        end = previous[1] if end is None else max(end, previous[1])
        if span[0] < end or (span[0] == previous[0] and span[1] == previous[1]):
            return False
    return True


# --------------------------------------------------------------------------
# Scorers
# --------------------------------------------------------------------------

#: Scorer for :func:`token_accuracy`: ``scorer(estimator, X, y)``.
token_accuracy_scorer = make_scorer(token_accuracy)

#: Scorer for :func:`entity_f1` (IOB2, default mode, micro average).
entity_f1_scorer = make_scorer(entity_f1)

#: Scorer for :func:`entity_precision` (IOB2, default mode, micro average).
entity_precision_scorer = make_scorer(entity_precision)

#: Scorer for :func:`entity_recall` (IOB2, default mode, micro average).
entity_recall_scorer = make_scorer(entity_recall)

_SCORERS = {
    "token_accuracy": token_accuracy_scorer,
    "entity_f1": entity_f1_scorer,
    "entity_precision": entity_precision_scorer,
    "entity_recall": entity_recall_scorer,
}


def get_scorer(name):
    """Scorer of sktag by name, for ``scoring=`` in model selection.

    Parameters
    ----------
    name : {"token_accuracy", "entity_f1", "entity_precision", "entity_recall"}
        Name of the score.

    Returns
    -------
    scorer : callable
        A fresh copy of the scorer, called as ``scorer(estimator, X, y)``;
        it calls ``estimator.predict(X)`` and compares with ``y``. For other
        options (e.g. strict IOBES) build one with
        ``sklearn.metrics.make_scorer(entity_f1, scheme="IOBES",
        mode="strict")``.

    Raises
    ------
    ValueError
        If ``name`` is not one of the names above; the message lists them.

    Examples
    --------
    >>> from sklearn.model_selection import cross_val_score  # doctest: +SKIP
    >>> cross_val_score(tagger, X, y, scoring=get_scorer("entity_f1"))  # doctest: +SKIP
    """
    if not isinstance(name, str) or name not in _SCORERS:
        raise ValueError(
            f"unknown scorer {name!r}; valid names are {sorted(_SCORERS)}."
        )
    return copy.deepcopy(_SCORERS[name])
