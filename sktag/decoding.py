"""Label sequences from per-token probabilities: argmax, or the best valid IOB2 tagging.

A tagger's softmax scores every token on its own, so the most likely label
of each token can spell a sequence that no entity tagging allows: ``O I-PER``
(an entity that never began) or ``B-PER I-LOC`` (one that changes type). When
the training labels are an IOB2 tagging, :class:`~sktag.TokenTagger` instead
predicts the most probable sequence that is valid IOB2 (Viterbi over the
token log-probabilities, with the invalid transitions forbidden), as
constrained decoding in AllenNLP's ``allowed_transitions`` does for a CRF.
"""

import numpy as np

__all__ = ["iob2_transitions", "is_iob2_tagging", "best_iob2_path"]

_EPSILON = 1e-12  # log(0) guard: a zero probability is "very unlikely", not impossible


def _iob2_parts(label):
    """``("B", type)``, ``("I", type)``, ``("O", None)``, or None if not IOB2."""
    if not isinstance(label, str):
        return None
    if label == "O":
        return "O", None
    if len(label) > 2 and label[0] in "BI" and label[1] == "-":
        return label[0], label[2:]
    return None


def is_iob2_tagging(y):
    """Whether label sequences are a valid IOB2 entity tagging.

    True when every label is ``"O"``, ``"B-<type>"`` or ``"I-<type>"``, at
    least one ``B-`` label occurs, and every ``I-<type>`` continues a
    ``B-<type>`` or ``I-<type>`` of the same type. IOB1 data (where ``I-``
    may begin an entity) and POS tags give False.

    Parameters
    ----------
    y : list of list of labels
        Label sequences, one per sentence.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_iob2_tagging([["B-PER", "I-PER", "O"], ["O", "B-LOC"]])
    True
    >>> is_iob2_tagging([["O", "I-PER"]])
    False
    >>> is_iob2_tagging([["NOUN", "VERB"]])
    False
    """
    begins = False
    for seq in y:
        previous = ("O", None)
        for label in seq:
            parts = _iob2_parts(label)
            if parts is None:
                return False
            if parts[0] == "I" and (previous[0] == "O" or previous[1] != parts[1]):
                return False
            begins = begins or parts[0] == "B"
            previous = parts
    return begins


def iob2_transitions(classes):
    """Which label may follow which, and which may begin a sentence, in IOB2.

    Parameters
    ----------
    classes : sequence of str
        The labels, e.g. a tagger's ``classes_``; each ``"O"``, ``"B-<type>"``
        or ``"I-<type>"``.

    Returns
    -------
    allowed : ndarray of bool of shape (n_classes, n_classes)
        ``allowed[i, j]``: label ``j`` may follow label ``i``.
    start : ndarray of bool of shape (n_classes,)
        Labels a sentence may begin with (all but ``I-``).

    Raises
    ------
    ValueError
        A label is not IOB2.
    """
    parts = [_iob2_parts(label) for label in classes]
    bad = [label for label, p in zip(classes, parts) if p is None]
    if bad:
        raise ValueError(f"Labels {bad[:5]} are not IOB2 ('O', 'B-<type>' or 'I-<type>').")
    n = len(parts)
    allowed = np.ones((n, n), dtype=bool)
    start = np.ones(n, dtype=bool)
    for j, (kind, entity) in enumerate(parts):
        if kind == "I":
            start[j] = False
            allowed[:, j] = [p[0] != "O" and p[1] == entity for p in parts]
    return allowed, start


def best_iob2_path(probabilities, allowed, start):
    """The most probable label sequence among those the transitions allow.

    Maximizes the sum of the tokens' log-probabilities over the sequences
    that begin with a ``start`` label and take only ``allowed`` steps
    (Viterbi). When the per-token argmax is itself allowed, it is the result.

    Parameters
    ----------
    probabilities : ndarray of shape (n_tokens, n_classes)
        One sentence's per-token probabilities.
    allowed, start : ndarray of bool
        See :func:`iob2_transitions`.

    Returns
    -------
    path : ndarray of intp of shape (n_tokens,)
        A class index per token.

    Examples
    --------
    >>> import numpy as np
    >>> allowed, start = iob2_transitions(["B-PER", "I-PER", "O"])
    >>> p = np.array([[0.1, 0.1, 0.8], [0.2, 0.5, 0.3]])  # argmax: O I-PER
    >>> best_iob2_path(p, allowed, start).tolist()
    [2, 2]
    """
    probabilities = np.asarray(probabilities)
    n_tokens = len(probabilities)
    if n_tokens == 0:
        return np.zeros(0, dtype=np.intp)
    guess = probabilities.argmax(axis=1)
    if start[guess[0]] and allowed[guess[:-1], guess[1:]].all():
        return guess  # the argmax is valid, so nothing beats it (most sentences: all "O")
    scores = np.log(np.maximum(probabilities.astype(np.float64), _EPSILON))
    penalty = np.where(allowed, 0.0, -np.inf)
    best = np.where(start, scores[0], -np.inf)
    back = np.zeros((n_tokens, scores.shape[1]), dtype=np.intp)
    for t in range(1, n_tokens):
        candidates = best[:, None] + penalty  # (from, to)
        back[t] = candidates.argmax(axis=0)
        best = candidates[back[t], np.arange(scores.shape[1])] + scores[t]
    path = np.empty(n_tokens, dtype=np.intp)
    path[-1] = best.argmax()
    for t in range(n_tokens - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path
