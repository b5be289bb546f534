"""Scorers for model selection: ``GridSearchCV(scoring=...)``, ``cross_val_score``.

Each scorer calls ``estimator.predict(X)`` and compares the result with the
list-of-lists ``y`` by a score of :mod:`sktag.metrics`.
"""

import copy

from sklearn.metrics import make_scorer

from .entities import entity_f1, entity_precision, entity_recall
from .tokens import token_accuracy

__all__ = [
    "entity_f1_scorer",
    "entity_precision_scorer",
    "entity_recall_scorer",
    "get_scorer",
    "token_accuracy_scorer",
]

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
