"""Label sequences from per-token probabilities: the best valid entity tagging, and its marginals.

A tagger's softmax scores every token on its own, so the most likely label
of each token can spell a sequence that no entity tagging allows: ``O I-PER``
(an entity that never began) or ``B-PER I-LOC`` (one that changes type). When
the training labels are an entity tagging (:func:`detect_scheme`),
:class:`~sktag.TokenTagger` instead predicts the most probable sequence that
is valid in that scheme (Viterbi over the token log-probabilities, with the
invalid transitions forbidden), as constrained decoding in AllenNLP's
``allowed_transitions`` does for a CRF.

The same lattice defines a distribution over the valid sequences,

.. math:: P(y) = \\frac{1}{Z} \\prod_t p_t(y_t), \\quad y \\text{ valid},

where :math:`p_t` are the tagger's per-token probabilities (each floored at
``1e-12``, so that a zero probability is "very unlikely", not impossible, for
Viterbi and marginals alike). Forward-backward over it gives the posterior of
each label at each token (:func:`token_marginals`) and the probability that
the sentence contains an exact entity (:func:`span_marginals`).

Entities are read from labels the same way in every scheme, as conlleval and
seqeval's default mode do: a ``B-``, ``S-`` or ``U-`` label begins an entity;
an ``I-``, ``E-`` or ``L-`` label continues the entity of its type that the
previous token's ``B-`` or ``I-`` label left open, and otherwise begins one;
``E-``, ``L-``, ``S-``, ``U-`` and ``O`` close it. On a valid sequence this
is the scheme's own reading; the scheme decides which sequences are valid.
"""

import functools

import numpy as np

__all__ = [
    "ENTITY_SCHEMES",
    "best_iob2_path",
    "best_path",
    "canonical_scheme",
    "detect_scheme",
    "iob2_transitions",
    "is_iob2_tagging",
    "span_marginals",
    "token_marginals",
    "transitions",
]

_EPSILON = 1e-12  # log(0) guard: a zero probability is "very unlikely", not impossible

#: The entity prefixes each scheme uses besides "O"; names as in sktag.metrics.SCHEMES.
_PREFIXES = {"IOB1": "BI", "IOB2": "BI", "IOBES": "BIES", "BILOU": "BILU"}
_ALIASES = {"BIOES": "IOBES"}
#: The entity schemes sktag decodes, by the names :func:`detect_scheme` gives.
ENTITY_SCHEMES = tuple(_PREFIXES)
_SINGLE = {"IOB1": "I", "IOB2": "B", "IOBES": "S", "BILOU": "U"}  # a one-token entity
_OPENING = ("B", "I")  # labels after which the entity may go on
_CONTINUING = ("I", "E", "L")  # labels that go on with an open entity of their type


def _parts(label):
    """``(prefix, type)`` of an entity label, ``("O", None)``, or None for other labels."""
    if not isinstance(label, str):
        return None
    if label == "O":
        return "O", None
    if len(label) > 2 and label[0] in "BIESLU" and label[1] == "-":
        return label[0], label[2:]
    return None


def _iob2_parts(label):
    """``("B", type)``, ``("I", type)``, ``("O", None)``, or None if not IOB2."""
    parts = _parts(label)
    return parts if parts is not None and parts[0] in "BIO" else None


def canonical_scheme(scheme):
    """The name :func:`detect_scheme` gives an entity scheme (``"iob2"`` -> ``"IOB2"``).

    Raises
    ------
    ValueError
        ``scheme`` is not one of :data:`ENTITY_SCHEMES` (or ``"BIOES"``).
    """
    name = scheme.upper() if isinstance(scheme, str) else scheme
    name = _ALIASES.get(name, name)
    if name in _PREFIXES:
        return name
    hint = ""
    if scheme is None:
        hint = (" The labels are not an entity tagging (see sktag.decoding.detect_scheme): "
                "entities need labels such as 'B-PER', 'I-PER' and 'O'.")
    raise ValueError(
        f"scheme must be one of {sorted(_PREFIXES)} ('BIOES' is accepted for 'IOBES'), "
        f"got {scheme!r}.{hint}"
    )


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

    See Also
    --------
    detect_scheme : Which entity scheme, if any, labels are in.

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


def detect_scheme(y):
    """The entity tagging scheme of label sequences, or None if they are not one.

    The scheme is read from the label prefixes (``<prefix>-<type>``, plus
    ``"O"``), in this order:

    1. Any other label (``"NOUN"``, ``"B"``, an int), or no entity label at
       all (every label ``"O"``): None.
    2. Only ``B-`` and ``I-``: ``"IOB2"`` if every ``I-<type>`` continues a
       ``B-<type>`` or ``I-<type>`` (every entity begins with ``B-``; so data
       with only ``B-`` labels is IOB2), else ``"IOB1"`` (some ``I-`` begins
       an entity; ``B-`` then only separates adjacent entities of one type).
    3. ``E-`` or ``S-`` among them: ``"IOBES"`` (seqeval's name for BIOES).
    4. ``L-`` or ``U-`` among them: ``"BILOU"``.
    5. Both ``E-``/``S-`` and ``L-``/``U-``: None.

    Only the IOB1/IOB2 choice looks at the order of the labels: IOBES and
    BILOU are told by their prefixes alone, so a few malformed entities in the
    data (a ``B-`` never closed by ``E-``) do not change the scheme. Decoding
    keeps to the scheme's valid sequences all the same (:func:`transitions`).

    Parameters
    ----------
    y : list of list of labels
        Label sequences, one per sentence.

    Returns
    -------
    {"IOB1", "IOB2", "IOBES", "BILOU"} or None
        Names as in :data:`sktag.metrics.SCHEMES`, so the result can be
        passed as ``scheme=`` to the entity scores there.

    Examples
    --------
    >>> detect_scheme([["B-PER", "I-PER", "O"], ["B-LOC"]])
    'IOB2'
    >>> detect_scheme([["I-PER", "I-PER", "B-PER", "O"]])
    'IOB1'
    >>> detect_scheme([["B-PER", "E-PER", "S-LOC"]])
    'IOBES'
    >>> detect_scheme([["U-PER", "O", "B-LOC", "L-LOC"]])
    'BILOU'
    >>> print(detect_scheme([["NOUN", "VERB"]]), detect_scheme([["O", "O"]]))
    None None
    """
    prefixes = set()
    for seq in y:
        for label in seq:
            parts = _parts(label)
            if parts is None:
                return None
            prefixes.add(parts[0])
    prefixes.discard("O")
    if not prefixes:
        return None
    if prefixes <= set("BI"):
        return "IOB2" if is_iob2_tagging(y) else "IOB1"
    ends, units = bool(prefixes & set("ES")), bool(prefixes & set("LU"))
    if ends and units:
        return None
    return "IOBES" if ends else "BILOU"


def transitions(classes, scheme):
    """Which label may follow which, begin and end a sentence, in an entity scheme.

    IOB2: ``I-<type>`` only after ``B-<type>`` or ``I-<type>``. IOB1:
    ``B-<type>`` only after ``B-<type>`` or ``I-<type>`` (it separates two
    adjacent entities of one type). IOBES (BILOU): ``I-`` and ``E-`` (``L-``)
    only after ``B-`` or ``I-`` of their type, and after ``B-`` or ``I-``
    nothing else; so a sentence cannot begin with ``I-`` or ``E-`` (``L-``)
    nor end with ``B-`` or ``I-``. In IOB1 and IOB2 every label may end one.
    A label that no valid sentence can hold with these classes (IOBES
    ``B-PER`` without ``E-PER``) is forbidden everywhere.

    Parameters
    ----------
    classes : sequence of str
        The labels, e.g. a tagger's ``classes_``; each ``"O"`` or
        ``"<prefix>-<type>"`` with a prefix of the scheme.
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}
        As :func:`detect_scheme` names it (any case; ``"BIOES"`` is IOBES).

    Returns
    -------
    allowed : ndarray of bool of shape (n_classes, n_classes)
        ``allowed[i, j]``: label ``j`` may follow label ``i``.
    start : ndarray of bool of shape (n_classes,)
        Labels a sentence may begin with.
    end : ndarray of bool of shape (n_classes,)
        Labels a sentence may end with.

    Raises
    ------
    ValueError
        The scheme is unknown, a label is not of the scheme, or the labels
        admit no valid sentence of some lengths (no ``"O"`` and no one-token
        entity label).

    Examples
    --------
    >>> allowed, start, end = transitions(["B-PER", "E-PER", "O"], "IOBES")
    >>> allowed.astype(int)
    array([[0, 1, 0],
           [1, 0, 1],
           [1, 0, 1]])
    >>> start.tolist(), end.tolist()
    ([True, False, True], [False, True, True])
    """
    allowed, start, end = _cached_transitions(_as_key(classes), canonical_scheme(scheme))
    return allowed.copy(), start.copy(), end.copy()


def _as_key(classes):
    """``classes`` as a hashable tuple."""
    return tuple(classes.tolist() if isinstance(classes, np.ndarray) else classes)


@functools.lru_cache(maxsize=16)
def _cached_transitions(classes, scheme):
    """:func:`transitions` for a tuple of classes and a checked scheme, read-only."""
    parts = [_parts(label) for label in classes]
    prefixes = _PREFIXES[scheme]
    bad = [label for label, p in zip(classes, parts) if p is None or p[0] not in "O" + prefixes]
    if bad:
        kinds = ", ".join(f"'{x}-<type>'" for x in prefixes[:-1])
        raise ValueError(
            f"Labels {bad[:5]} are not {scheme} ('O', {kinds} or '{prefixes[-1]}-<type>')."
        )
    prefix = np.array([p[0] for p in parts])
    types = np.array([p[1] for p in parts], dtype=object)
    same_type = (types[:, None] == types[None, :]) & (prefix != "O")[:, None]
    opening = np.isin(prefix, _OPENING)
    follows = opening[:, None] & same_type  # [i, j]: j goes on with the entity i left open
    if scheme in ("IOB1", "IOB2"):
        needs = prefix == ("I" if scheme == "IOB2" else "B")
        allowed = np.where(needs[None, :], follows, True)
        start, end = ~needs, np.ones(len(classes), dtype=bool)
    else:
        inside = np.isin(prefix, _CONTINUING)
        allowed = np.where(inside[None, :], follows, ~opening[:, None])
        start, end = ~inside, ~opening
    useful = _on_some_path(allowed, start, end)
    allowed &= useful[:, None] & useful[None, :]
    start &= useful
    end &= useful
    if not (start & end & np.diagonal(allowed)).any():
        raise ValueError(
            f"Labels {list(classes)[:10]} admit no valid {scheme} sentence of some "
            f"lengths; the classes need 'O' or a one-token entity label "
            f"('{_SINGLE[scheme]}-<type>')."
        )
    for array in (allowed, start, end):
        array.flags.writeable = False
    return allowed, start, end


def _on_some_path(allowed, start, end):
    """Labels that some valid sentence (of some length) holds."""
    moves = allowed.astype(np.intp)
    reached, ending = start.copy(), end.copy()
    while True:
        more = reached | ((reached @ moves) > 0)
        if (more == reached).all():
            break
        reached = more
    while True:
        more = ending | ((moves @ ending) > 0)
        if (more == ending).all():
            break
        ending = more
    return reached & ending


def iob2_transitions(classes):
    """Which label may follow which, and which may begin a sentence, in IOB2.

    ``transitions(classes, "IOB2")`` without ``end`` (in IOB2 every label may
    end a sentence).

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

    See Also
    --------
    transitions : The same for any entity scheme.
    """
    allowed, start, _ = transitions(classes, "IOB2")
    return allowed, start


def _checked_probabilities(probabilities, n_classes):
    """One sentence's probabilities as float64 of shape (n_tokens, n_classes), checked."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if probabilities.ndim != 2 or probabilities.shape[1] != n_classes:
        raise ValueError(
            f"probabilities must have shape (n_tokens, {n_classes}), one row per token "
            f"and one column per class; got shape {probabilities.shape}."
        )
    if not np.isfinite(probabilities).all() or (probabilities < 0).any():
        raise ValueError("probabilities must be finite and non-negative (the model's "
                         "per-token class probabilities); they hold NaN, inf or a negative.")
    return probabilities


def _potentials(probabilities, n_classes):
    """Floored per-token potentials, checked, each row scaled to a maximum of 1.

    Scaling a token's row does not change the distribution over sequences
    (it cancels in the normalization), nor the Viterbi path.
    """
    potentials = np.maximum(_checked_probabilities(probabilities, n_classes), _EPSILON)
    if len(potentials):
        potentials /= potentials.max(axis=1, keepdims=True)
    return potentials


def _log_mask(mask):
    """0 where ``mask`` holds, -inf elsewhere."""
    return np.where(mask, 0.0, -np.inf)


def _no_valid_sequence(n_tokens):
    return ValueError(
        f"No sequence of {n_tokens} labels is valid under these transitions; check that "
        "allowed, start and end come from transitions() for the model's classes."
    )


def best_path(probabilities, allowed, start, end=None):
    """The most probable label sequence among those the transitions allow.

    Maximizes the sum of the tokens' floored log-probabilities over the
    sequences that begin with a ``start`` label, take only ``allowed`` steps
    and end with an ``end`` label (Viterbi). When the per-token argmax is
    itself such a sequence, it is the result.

    Parameters
    ----------
    probabilities : ndarray of shape (n_tokens, n_classes)
        One sentence's per-token probabilities.
    allowed, start, end : ndarray of bool
        See :func:`transitions`; ``end=None`` lets every label end.

    Returns
    -------
    path : ndarray of intp of shape (n_tokens,)
        A class index per token.

    Raises
    ------
    ValueError
        The probabilities do not fit the transitions, or no sequence of
        ``n_tokens`` labels is valid.

    Examples
    --------
    >>> import numpy as np
    >>> classes = ["B-PER", "E-PER", "I-PER", "O", "S-PER"]
    >>> allowed, start, end = transitions(classes, "IOBES")
    >>> p = np.array([[0.1, 0.0, 0.1, 0.7, 0.1],    # argmax: O B-PER, and a
    ...               [0.5, 0.1, 0.0, 0.1, 0.3]])   # sentence cannot end in B-
    >>> [classes[k] for k in best_path(p, allowed, start, end)]
    ['O', 'S-PER']
    """
    start = np.asarray(start, dtype=bool)
    n_classes = len(start)
    end = np.ones(n_classes, dtype=bool) if end is None else np.asarray(end, dtype=bool)
    probabilities = _checked_probabilities(probabilities, n_classes)
    n_tokens = len(probabilities)
    if n_tokens == 0:
        return np.zeros(0, dtype=np.intp)
    guess = probabilities.argmax(axis=1)
    if start[guess[0]] and end[guess[-1]] and allowed[guess[:-1], guess[1:]].all():
        return guess  # the argmax is valid, so nothing beats it (most sentences: all "O")
    scores = np.log(np.maximum(probabilities, _EPSILON))
    penalty = _log_mask(allowed)
    best = np.where(start, scores[0], -np.inf)
    back = np.zeros((n_tokens, n_classes), dtype=np.intp)
    columns = np.arange(n_classes)
    for t in range(1, n_tokens):
        candidates = best[:, None] + penalty  # (from, to)
        back[t] = candidates.argmax(axis=0)
        best = candidates[back[t], columns] + scores[t]
    best = np.where(end, best, -np.inf)
    if not np.isfinite(best.max()):
        raise _no_valid_sequence(n_tokens)
    path = np.empty(n_tokens, dtype=np.intp)
    path[-1] = best.argmax()
    for t in range(n_tokens - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def best_iob2_path(probabilities, allowed, start):
    """The most probable label sequence among those the transitions allow.

    :func:`best_path` with every label allowed to end the sentence, as in
    IOB2.

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
    return best_path(probabilities, allowed, start)


def _logsumexp(values, axis=0):
    """log(sum(exp(values))) along ``axis``, exact where all terms are -inf."""
    top = values.max(axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.exp(values - top).sum(axis=axis)) + np.squeeze(top, axis=axis)


_SCALED_TOLERANCE = 1e-6  # how far the scaled posteriors' row sums may stray from 1
_RESCALE_EVERY = 8  # tokens between two rescalings of the forward message


def _forward_backward(potentials, allowed, start, end):
    """Scaled forward and backward messages of one sentence's lattice.

    Returns ``alpha``, ``beta`` (each of shape (n_tokens, n_classes)), the
    per-token normalizers ``scale`` and the token posteriors. ``alpha[t]`` is
    the forward message divided by ``scale[:t + 1].prod()`` and ``beta[t]``
    the backward one (``end`` at the last token) divided by ``Z /
    scale[:t + 1].prod()``, so that the posteriors are ``alpha * beta`` and
    the probability of the paths from ``alpha[i - 1]`` through tokens ``i..j``
    to ``beta[j + 1]`` is their product divided by ``scale[i:j + 2].prod()``
    (Rabiner's scaling; ``scale`` is 1 but every ``_RESCALE_EVERY`` tokens,
    often enough that no message leaves float64's range). Memory
    O(n_tokens * n_classes) whatever the length.

    Each row of ``alpha * beta`` sums to 1 in exact arithmetic, and a
    message that underflowed makes some rows miss by the mass it lost; if any
    row misses by more than ``_SCALED_TOLERANCE`` (never for a lattice from
    :func:`transitions`, whose labels all lie on valid paths), the messages
    are recomputed in log space.
    """
    n_tokens = len(potentials)
    moves = allowed.astype(np.float64)
    alpha = np.empty_like(potentials)
    beta = np.empty_like(potentials)
    scale = np.ones(n_tokens)
    if n_tokens == 0:
        return alpha, beta, scale, np.empty_like(potentials)
    dot, multiply = np.dot, np.multiply
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        multiply(start, potentials[0], out=alpha[0])
        for t in range(n_tokens):
            if t:
                dot(alpha[t - 1], moves, out=alpha[t])
                multiply(alpha[t], potentials[t], out=alpha[t])
            if t % _RESCALE_EVERY == 0 or t == n_tokens - 1:
                scale[t] = alpha[t].sum()
                alpha[t] /= scale[t]
        beta[-1] = end / (alpha[-1] @ end)
        onward = np.empty(len(start))
        for t in range(n_tokens - 2, -1, -1):
            multiply(potentials[t + 1], beta[t + 1], out=onward)
            dot(moves, onward, out=beta[t])
            if scale[t + 1] != 1.0:
                beta[t] /= scale[t + 1]
        marginals = alpha * beta
    if np.all(np.abs(marginals.sum(axis=1) - 1.0) <= _SCALED_TOLERANCE):
        return alpha, beta, scale, marginals
    return _log_forward_backward(np.log(potentials), allowed, start, end)


def _log_forward_backward(scores, allowed, start, end):
    """:func:`_forward_backward` in log space: slower, but no message underflows."""
    n_tokens = len(scores)
    log_allowed = _log_mask(allowed)
    log_allowed_t = np.ascontiguousarray(log_allowed.T)  # (to, from)
    log_alpha = np.empty_like(scores)
    log_beta = np.empty_like(scores)
    log_alpha[0] = _log_mask(start) + scores[0]
    for t in range(1, n_tokens):
        log_alpha[t] = _logsumexp(log_alpha[t - 1][:, None] + log_allowed) + scores[t]
    log_beta[-1] = _log_mask(end)
    for t in range(n_tokens - 2, -1, -1):
        log_beta[t] = _logsumexp((scores[t + 1] + log_beta[t + 1])[:, None] + log_allowed_t)
    log_z = float(_logsumexp(log_alpha[-1] + log_beta[-1]))
    if not np.isfinite(log_z):
        raise _no_valid_sequence(n_tokens)
    log_norm = _logsumexp(log_alpha, axis=1)  # log of the scaled messages' running products
    scale = np.exp(np.diff(log_norm, prepend=0.0))
    alpha = np.exp(log_alpha - log_norm[:, None])
    with np.errstate(over="ignore"):
        beta = np.exp(log_beta + (log_norm - log_z)[:, None])
    return alpha, beta, scale, np.exp(log_alpha + log_beta - log_z)


def _lattice(probabilities, allowed, start, end):
    """Checked arrays of one sentence's lattice: potentials, allowed, start, end."""
    start = np.asarray(start, dtype=bool)
    end = np.ones(len(start), dtype=bool) if end is None else np.asarray(end, dtype=bool)
    return _potentials(probabilities, len(start)), np.asarray(allowed, dtype=bool), start, end


def token_marginals(probabilities, allowed, start, end=None):
    """Posterior probability of each label at each token, over the valid sequences.

    ``marginals[t, k]`` is the probability, under the distribution
    :math:`P(y) \\propto \\prod_t p_t(y_t)` restricted to the sequences the
    transitions allow, that token ``t`` has label ``k`` (forward-backward,
    scaled, exact for any length). Each row sums to 1; :func:`best_path`
    maximizes over the same lattice. Like ``probabilities``, these are not
    calibrated unless the model is.

    Parameters
    ----------
    probabilities : ndarray of shape (n_tokens, n_classes)
        One sentence's per-token probabilities.
    allowed, start, end : ndarray of bool
        See :func:`transitions`; ``end=None`` lets every label end.

    Returns
    -------
    marginals : ndarray of float64 of shape (n_tokens, n_classes)

    Raises
    ------
    ValueError
        The probabilities do not fit the transitions or are not finite and
        non-negative, or no sequence of ``n_tokens`` labels is valid.

    Examples
    --------
    >>> import numpy as np
    >>> allowed, start, end = transitions(["B-PER", "I-PER", "O"], "IOB2")
    >>> p = np.array([[0.2, 0.3, 0.5], [0.1, 0.6, 0.3]])  # I-PER cannot begin
    >>> token_marginals(p, allowed, start, end).round(3)
    array([[0.5  , 0.   , 0.5  ],
           [0.175, 0.3  , 0.525]])
    """
    return _forward_backward(*_lattice(probabilities, allowed, start, end))[3]


@functools.lru_cache(maxsize=64)
def _span_moves(classes, scheme, entity_type):
    """For one entity type: its class indices and the 0/1 steps of an entity.

    ``begin[i, j]``: class ``index[j]`` may follow class ``i`` (any) and
    begins an entity there; ``inside[i, j]``: ``index[j]`` may follow
    ``index[i]`` and goes on with its entity; ``leave[i, j]``: class ``j``
    (any) may follow ``index[i]`` and does not go on with its entity.
    ``classes`` is a tuple and ``scheme`` checked, as for _cached_transitions.
    """
    allowed = _cached_transitions(classes, scheme)[0]
    parts = [_parts(label) for label in classes]
    index = np.array([k for k, p in enumerate(parts) if p is not None and p[1] == entity_type],
                     dtype=np.intp)
    is_type = np.zeros(len(classes), dtype=bool)
    is_type[index] = True
    prefix = np.array([p[0] if p is not None else "" for p in parts])
    opening = is_type & np.isin(prefix, _OPENING)
    continuing = is_type & np.isin(prefix, _CONTINUING)
    goes_on = opening[:, None] & continuing[None, :]
    begin = (allowed & ~goes_on)[:, index]
    inside = (allowed & goes_on)[np.ix_(index, index)]
    leave = (allowed & ~goes_on)[index, :]
    out = index, begin.astype(np.float64), inside.astype(np.float64), leave.astype(np.float64)
    for array in out:
        array.flags.writeable = False
    return out


def span_marginals(probabilities, spans, classes, scheme, *, return_token_marginals=False):
    """Probability of each exact entity under the model, over the valid sequences.

    The score of a span ``(type, token_start, token_end)`` is the probability,
    under the model's per-token distributions restricted to valid ``scheme``
    sequences (:math:`P(y) \\propto \\prod_t p_t(y_t)` over the sequences
    that :func:`transitions` allows, the lattice :func:`best_path` decodes),
    that the sentence contains exactly this entity: this type, beginning at
    token ``token_start`` and ending at token ``token_end - 1``; that is, the
    label at ``token_start`` begins an entity of the type, the labels up to
    ``token_end - 1`` continue it, and the next label (if any) does not. It is
    0 for an entity no valid sequence holds. Like the probabilities, it is not
    calibrated unless the model is.

    The lattice's forward and backward messages are computed once
    (O(n_tokens * n_classes**2) time, O(n_tokens * n_classes) memory); the
    spans are then scored together, in O(total span length) steps on the few
    labels of their type, so scoring the entities of a decoded path is cheap.

    Parameters
    ----------
    probabilities : ndarray of shape (n_tokens, n_classes)
        One sentence's per-token probabilities.
    spans : iterable of (str, int, int)
        Entities as ``(type, token_start, token_end)``, ``token_end``
        exclusive, e.g. from :func:`sktag.spans.spans_from_tags`.
    classes : sequence of str
        The labels of the probabilities' columns.
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}
        The entity scheme (see :func:`detect_scheme`).
    return_token_marginals : bool, default=False
        Also return :func:`token_marginals` of the same lattice, at no extra
        cost.

    Returns
    -------
    scores : ndarray of float64 of shape (n_spans,)
        Probabilities in [0, 1].
    marginals : ndarray of float64 of shape (n_tokens, n_classes)
        Only with ``return_token_marginals=True``.

    Raises
    ------
    ValueError
        As :func:`transitions` and :func:`token_marginals` do, or a span has
        a type no class has or tokens outside the sentence.

    Examples
    --------
    >>> import numpy as np
    >>> classes = ["B-PER", "I-PER", "O"]
    >>> p = np.array([[0.7, 0.1, 0.2], [0.1, 0.6, 0.3], [0.1, 0.1, 0.8]])
    >>> span_marginals(p, [("PER", 0, 2), ("PER", 0, 1)], classes, "IOB2").round(4)
    array([0.502, 0.344])
    """
    key, scheme = _as_key(classes), canonical_scheme(scheme)
    allowed, start, end = _cached_transitions(key, scheme)
    potentials = _potentials(probabilities, len(start))
    n_tokens = len(potentials)
    by_type = {}
    spans = list(spans)
    for s, (entity_type, token_start, token_end) in enumerate(spans):
        if not 0 <= token_start < token_end <= n_tokens:
            raise ValueError(
                f"Span ({entity_type!r}, {token_start}, {token_end}) is not inside the "
                f"sentence of {n_tokens} tokens: need 0 <= token_start < token_end <= "
                f"{n_tokens} (token_end exclusive)."
            )
        by_type.setdefault(entity_type, []).append(s)
    moves = {entity_type: _span_moves(key, scheme, entity_type) for entity_type in by_type}
    for entity_type, (index, *_) in moves.items():
        if not len(index):
            known = sorted({p[1] for p in map(_parts, classes) if p is not None and p[1]})
            raise ValueError(f"Span type {entity_type!r} has no label among the classes; "
                             f"known types: {known}.")
    alpha, beta, scale, marginals = _forward_backward(potentials, allowed, start, end)
    out = np.zeros(len(spans))
    bounds = np.array([span[1:] for span in spans], dtype=np.intp).reshape(len(spans), 2)
    for entity_type, members in by_type.items():
        index, begin, inside, leave = moves[entity_type]
        members = np.array(members)
        first, stop = bounds[members, 0], bounds[members, 1]
        order = np.argsort(first - stop, kind="stable")  # longest first: a prefix goes on
        members, first, stop = members[order], first[order], stop[order]
        out[members] = _score_spans(first, stop, index, begin, inside, leave,
                                    potentials, alpha, beta, scale, start)
    out = np.clip(np.where(np.isfinite(out), out, 0.0), 0.0, 1.0)
    if return_token_marginals:
        return out, marginals
    return out


def _score_spans(first, stop, index, begin, inside, leave, potentials, alpha, beta, scale,
                 start):
    """Marginals of spans of one type, sorted longest first (see span_marginals)."""
    n_tokens = len(potentials)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        chain = np.empty((len(first), len(index)))
        later = first > 0
        before = first[later] - 1
        chain[later] = alpha[before] @ begin
        chain[~later] = np.where(start[index], 1.0, 0.0)
        chain *= potentials[np.ix_(first, index)] / scale[first][:, None]
        lengths = stop - first
        for step in range(1, int(lengths.max(initial=1))):
            live = int(np.count_nonzero(lengths > step))  # a prefix: longest first
            at = first[:live] + step
            chain[:live] = (chain[:live] @ inside) * potentials[np.ix_(at, index)] / scale[at][:, None]
        scores = np.empty(len(first))
        last = stop == n_tokens
        scores[last] = chain[last] @ beta[-1, index]
        after = stop[~last]
        onward = potentials[after] * beta[after] / scale[after][:, None]
        scores[~last] = np.einsum("sk,kn,sn->s", chain[~last], leave, onward)
    return scores
