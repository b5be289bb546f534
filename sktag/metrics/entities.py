"""Entity-level scores: whole entities read from tags, as seqeval counts them.

An entity (chunk) is a run of tags in a BIO-style scheme (IOB1, IOB2, IOE1,
IOE2, IOBES, BILOU); it counts as found only with its type and its exact
tokens. :func:`entity_precision_recall_f1` and its parts, and
:func:`entity_classification_report`, are computed with `seqeval
<https://github.com/chakki-works/seqeval>`_ and give exactly seqeval's
figures; :func:`spans_from_labels` gives the same entities as
``(start, end, label)`` spans for :mod:`sktag.metrics.spans`.
:func:`is_bio_tagging` tells whether a label set looks like such a scheme.
Label prefixes are read by :mod:`sktag.schemes`, sktag's one rule for them.
"""

import warnings

from seqeval import scheme as _seqeval_scheme
from seqeval.metrics import classification_report as _seqeval_report
from seqeval.metrics.sequence_labeling import get_entities as _seqeval_get_entities
from seqeval.metrics.sequence_labeling import (
    precision_recall_fscore_support as _seqeval_prfs_default,
)
from seqeval.metrics.v1 import precision_recall_fscore_support as _seqeval_prfs_strict

from ..schemes import label_parts, read_entities
from ..validation import check_label_pair, check_labels, describe_value, is_int

__all__ = [
    "SCHEMES",
    "entity_classification_report",
    "entity_f1",
    "entity_precision",
    "entity_precision_recall_f1",
    "entity_recall",
    "is_bio_tagging",
    "spans_from_labels",
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

    True when there is at least one label and every label is ``"O"`` or one
    of the prefixes ``B-``, ``I-``, ``E-``, ``S-``, ``L-``, ``U-`` followed by
    a type, as :func:`sktag.schemes.label_parts` reads labels. Use it to
    decide whether entity-level scores make sense for a tag set.

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
            if label_parts(label) is None:
                return False
            seen = True
    return seen


def spans_from_labels(y, *, scheme="IOB2", mode="default", offsets=None):
    """Entity spans of tag sequences, as ``(start, end, label)`` tuples.

    Turns gold (or predicted) BIO-style tags into the spans that
    :func:`span_scores` and :func:`span_error_table` compare, so that the
    output of :meth:`TokenTagger.predict_spans <sktag.TokenTagger.predict_spans>`
    can be scored against an IOB2 corpus. The entities are those the
    entity-level scores count: in the default mode read by
    :func:`sktag.schemes.read_entities` (sktag's one reader of entities, which
    reads them as seqeval's default mode does), in the strict mode by seqeval.

    Parameters
    ----------
    y : list of list of str
        Tags, one list per sentence (e.g. ``["B-PER", "I-PER", "O"]``).
    scheme : {"IOB2", "IOB1", "IOE1", "IOE2", "IOBES", "BILOU"} or seqeval \
            scheme class, default="IOB2"
        Tagging scheme, as in :func:`entity_precision_recall_f1`.
    mode : {"default", "strict"}, default="default"
        ``"default"`` reads entities as conlleval does (an ``I-PER`` after
        ``O`` still begins one) and understands the prefixes ``B-``, ``I-``,
        ``E-`` and ``S-`` whatever ``scheme`` is; ``"strict"`` keeps only
        entities that are well formed in ``scheme``. Both are the entities
        that :func:`entity_precision_recall_f1` counts in that mode.
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
        a tag that is not ``"O"`` or ``<prefix>-<type>`` with a prefix the
        mode reads (the default mode: ``B``, ``I``, ``E``, ``S``), an unknown
        ``scheme`` or ``mode``, or ``offsets`` of another shape than ``y``
        (the message names the sentence).

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
        entities = [
            [(start, end, tag) for tag, start, end in read_entities(_default_mode_tags(seq, i))]
            for i, seq in enumerate(y)
        ]
    if offsets is None:
        return entities
    offsets = _check_offsets(offsets, [len(seq) for seq in y])
    return [
        [(spans[start][0], spans[end - 1][1], label) for start, end, label in sentence]
        for sentence, spans in zip(entities, offsets)
    ]


def _default_mode_tags(tags, i):
    """``tags``, checked for the default mode: ``"O"`` or a ``B-``, ``I-``, ``E-``, ``S-`` tag."""
    for j, tag in enumerate(tags):
        parts = label_parts(tag)
        if parts is None or parts[0] in "LU":
            raise ValueError(
                f"y: sentence {i}, token {j} has tag {tag!r}; the default mode reads "
                "'O' and B-, I-, E-, S-<type> tags (L- and U- tags need scheme='BILOU', "
                "mode='strict')."
            )
    return tags


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
                hasattr(pair, "__len__") and len(pair) == 2 and all(map(is_int, pair))
            ):
                raise TypeError(
                    f"offsets: sentence {i}, token {j} is {describe_value(pair)}; expected "
                    "a (start, end) pair of ints."
                )
        out.append([(int(a), int(b)) for a, b in pairs])
    return out
