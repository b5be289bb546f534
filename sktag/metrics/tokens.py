"""Token-level scores: every token counts on its own, whatever the tag set.

:func:`token_accuracy` and :func:`classification_report` flatten the
sentences of ``y_true`` and ``y_pred`` (checked against each other by
:func:`sktag.validation.check_label_pair`) and compare label with label; they
suit any tag set (POS tags, noun / other, entity tags read token by token).
"""

import numpy as np
from sklearn.metrics import classification_report as _sklearn_report

from ..validation import check_label_pair, check_sentence_weights

__all__ = ["classification_report", "token_accuracy"]


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
