"""Scores for token tagging: token accuracy, entity-level scores, scorers.

Every function here takes ``y_true`` and ``y_pred`` in sktag's convention: a
list of sentences, each a list of labels (``str`` or ``int``), one label per
token -- exactly what :meth:`sktag.TokenTagger.predict` returns. Both inputs
are checked the same way (same number of sentences, same number of labels in
each sentence), and a mismatch names the sentence at fault.

Two families of scores are provided:

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
import re
import warnings

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

from ._validation import _describe, _label_kind, check_sentence_weights

__all__ = [
    "token_accuracy",
    "entity_precision_recall_f1",
    "entity_precision",
    "entity_recall",
    "entity_f1",
    "classification_report",
    "entity_classification_report",
    "is_bio_tagging",
    "token_accuracy_scorer",
    "entity_f1_scorer",
    "entity_precision_scorer",
    "entity_recall_scorer",
    "get_scorer",
    "SCHEMES",
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


def _check_outer(y, name):
    """Check that ``y`` is a non-empty collection of label sequences."""
    if y is None or isinstance(y, (str, bytes)) or not hasattr(y, "__len__"):
        raise TypeError(
            f"{name} must be a list of label sequences (one list of labels per "
            f"sentence), got {_describe(y)}."
        )
    if len(y) == 0:
        raise ValueError(f"{name} is empty: expected at least one sentence.")
    return len(y)


def _check_sequence_pair(y_true, y_pred):
    """Validate two label-sequence collections against each other.

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
    n_true = _check_outer(y_true, "y_true")
    n_pred = _check_outer(y_pred, "y_pred")
    if n_true != n_pred:
        raise ValueError(
            f"y_true has {n_true} sentences but y_pred has {n_pred}; they must "
            "match one to one."
        )
    kind = None
    out = {"y_true": [], "y_pred": []}
    n_labels = 0
    for i, (seq_true, seq_pred) in enumerate(zip(y_true, y_pred)):
        seqs = {"y_true": seq_true, "y_pred": seq_pred}
        for name, seq in seqs.items():
            if (
                seq is None
                or isinstance(seq, (str, bytes))
                or not hasattr(seq, "__iter__")
            ):
                raise TypeError(
                    f"sentence {i}: {name} labels are {_describe(seq)}; expected a "
                    "list with one label per token."
                )
            seqs[name] = list(seq)
        if len(seqs["y_true"]) != len(seqs["y_pred"]):
            raise ValueError(
                f"sentence {i}: y_true has {len(seqs['y_true'])} labels but y_pred "
                f"has {len(seqs['y_pred'])}."
            )
        for name, seq in seqs.items():
            for j, label in enumerate(seq):
                label_kind = _label_kind(label)
                if label_kind is None:
                    raise TypeError(
                        f"sentence {i}, token {j}: {name} label is "
                        f"{_describe(label)}; labels must be str or int."
                    )
                if kind is None:
                    kind = label_kind
                elif label_kind != kind:
                    raise TypeError(
                        f"sentence {i}, token {j}: {name} label {label!r} is "
                        f"{label_kind} but earlier labels are {kind}; y_true and "
                        "y_pred must use one label type."
                    )
            convert = int if kind == "int" else str
            out[name].append([convert(v) for v in seq])
        n_labels += len(seqs["y_true"])
    if n_labels == 0:
        raise ValueError("y_true and y_pred hold no label: every sentence is empty.")
    return out["y_true"], out["y_pred"]


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
    y_true, y_pred = _check_sequence_pair(y_true, y_pred)
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
    y_true, y_pred = _check_sequence_pair(y_true, y_pred)
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
    y_true, y_pred = _check_sequence_pair(y_true, y_pred)
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
    y_true, y_pred = _check_sequence_pair(y_true, y_pred)
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
