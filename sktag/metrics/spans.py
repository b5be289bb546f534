"""Span-level scores: predicted spans against true spans, as nervaluate counts them.

:func:`span_scores`, :func:`span_error_table` and
:func:`precision_recall_by_threshold` compare spans (start, end, type,
score), such as those of :meth:`sktag.TokenTagger.predict_spans`, with
true spans, such as :func:`~sktag.metrics.spans_from_labels` reads from
tags: exact-match scores, nervaluate's four schemes, the errors per entity
type, and the effect of dropping low-scoring spans.
"""

import itertools
from collections.abc import Mapping
from numbers import Real

import numpy as np

from ..validation import check_collection, describe_value, is_int

__all__ = [
    "SPAN_SCHEMES",
    "precision_recall_by_threshold",
    "span_error_table",
    "span_scores",
]

#: The nervaluate schemes computed by :func:`span_scores`, in report order.
SPAN_SCHEMES = ("strict", "exact", "partial", "ent_type")

_POSITIONS = (None, "char", "token")
_COUNTS = ("correct", "incorrect", "partial", "missed", "spurious")
_ERROR_COLUMNS = (
    "correct", "wrong_type", "wrong_boundary", "wrong_type_and_boundary",
    "missed", "spurious", "support",
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
    if not (is_int(start) and is_int(end)):
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
            or (isinstance(seq, tuple) and len(seq) in (3, 4) and is_int(seq[0]))
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
