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
from dataclasses import dataclass

import numpy as np

# The scheme rules, defined in sktag.schemes; these names stay importable from
# here, where sktag 0.1 documented them.
from .schemes import (
    CONTINUING,
    ENTITY_SCHEMES,
    OPENING,
    as_key,
    cached_transitions,
    canonical_scheme,
    detect_scheme,
    is_iob2_tagging,
    label_parts,
    transitions,
)

__all__ = [
    "ENTITY_SCHEMES",
    "Lattice",
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


def _log_weights(weights):
    """The log of non-negative weights: 0 where a mask holds, -inf where it does not."""
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(weights, dtype=np.float64))


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
    return _viterbi(np.log(np.maximum(probabilities, _EPSILON)), _log_weights(allowed),
                    _log_weights(start), _log_weights(end))


def _viterbi(scores, log_moves, log_start, log_end):
    """The path of highest ``log_start[y_0] + sum_t scores[t, y_t] + sum_t
    log_moves[y_(t-1), y_t] + log_end[y_last]`` (-inf: forbidden)."""
    n_tokens, n_states = scores.shape
    best = scores[0] + log_start
    back = np.zeros((n_tokens, n_states), dtype=np.intp)
    columns = np.arange(n_states)
    for t in range(1, n_tokens):
        candidates = best[:, None] + log_moves  # (from, to)
        back[t] = candidates.argmax(axis=0)
        best = candidates[back[t], columns] + scores[t]
    best = best + log_end
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
    moves = np.asarray(allowed, dtype=np.float64)  # 0/1, or a CRF's transition weights
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
    log_allowed = _log_weights(allowed)
    log_allowed_t = np.ascontiguousarray(log_allowed.T)  # (to, from)
    log_alpha = np.empty_like(scores)
    log_beta = np.empty_like(scores)
    log_alpha[0] = _log_weights(start) + scores[0]
    for t in range(1, n_tokens):
        log_alpha[t] = _logsumexp(log_alpha[t - 1][:, None] + log_allowed) + scores[t]
    log_beta[-1] = _log_weights(end)
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


# ----------------------------------------------------------------------
# lattices: the label lattice of a scheme, and the lattice of its readings
# ----------------------------------------------------------------------
@dataclass(frozen=True)
class _States:
    """A lattice's states: what each is and which may follow which (read-only arrays)."""

    output: np.ndarray  # (n_states,) the class a state predicts
    gather: np.ndarray  # (n_classes, n_states) 0/1: the classes whose probabilities a state sums
    moves: np.ndarray  # (n_states, n_states) weight of each step: 0/1, or a CRF's exp(scores)
    start: np.ndarray  # (n_states,) weights of beginning a sentence in each state
    end: np.ndarray  # (n_states,) weights of ending one
    types: np.ndarray  # (n_states,) object: entity type, None for O
    opening: np.ndarray  # bool: the entity may go on after this state
    continuing: np.ndarray  # bool: this state goes on with an open entity of its type


def _frozen(**arrays):
    for array in arrays.values():
        array.flags.writeable = False
    return _States(**arrays)


@functools.lru_cache(maxsize=16)
def _label_states(classes, scheme):
    """The label lattice: one state per class, the scheme's transitions."""
    allowed, start, end = cached_transitions(classes, scheme)
    parts = [label_parts(label) for label in classes]
    prefix = np.array([p[0] for p in parts])
    n = len(classes)
    return _frozen(output=np.arange(n), gather=np.eye(n), moves=allowed.astype(np.float64),
                   start=start.astype(np.float64), end=end.astype(np.float64),
                   types=np.array([p[1] for p in parts], dtype=object),
                   opening=np.isin(prefix, OPENING), continuing=np.isin(prefix, CONTINUING))


def _crf_states(classes, scheme, transitions, start, end):
    """The label lattice of a CRF: steps weighted by the exponentials of its
    learned scores (each scaled to a maximum of 1, which changes nothing),
    the scheme's impossible steps (if any scheme) forbidden."""
    n = len(classes)
    if scheme is None:
        allowed, can_start, can_end = np.ones((n, n), bool), np.ones(n, bool), np.ones(n, bool)
        parts = [label_parts(label) or ("", None) for label in classes]
    else:
        allowed, can_start, can_end = cached_transitions(classes, scheme)
        parts = [label_parts(label) for label in classes]
    transitions, start, end = (np.asarray(a, dtype=np.float64) for a in (transitions, start, end))
    if transitions.shape != (n, n) or start.shape != (n,) or end.shape != (n,):
        raise ValueError(f"CRF scores of shapes {transitions.shape}, {start.shape}, "
                         f"{end.shape} for {n} classes; expected ({n}, {n}), ({n},), ({n},).")
    if not (np.isfinite(transitions).all() and np.isfinite(start).all()
            and np.isfinite(end).all()):
        raise ValueError("The CRF's transition scores hold NaN or inf: the model did not train.")
    prefix = np.array([p[0] for p in parts])
    return _frozen(output=np.arange(n), gather=np.eye(n),
                   moves=np.exp(transitions - transitions.max()) * allowed,
                   start=np.exp(start - start.max()) * can_start,
                   end=np.exp(end - end.max()) * can_end,
                   types=np.array([p[1] for p in parts], dtype=object),
                   opening=np.isin(prefix, OPENING), continuing=np.isin(prefix, CONTINUING))


@functools.lru_cache(maxsize=16)
def _reading_states(classes, scheme):
    """The lattice of the readings of B/I labels (IOB1, IOB2): see :class:`Lattice`."""
    parts = [label_parts(label) for label in classes]
    bad = [label for label, p in zip(classes, parts) if p is None or p[0] not in "OBI"]
    if bad:
        raise ValueError(f"Labels {bad[:5]} are not {scheme} ('O', 'B-<type>' or 'I-<type>').")
    index = {(p[0], p[1]): k for k, p in enumerate(parts)}
    states = []  # (output, gathered classes, type, kind): kind "o", "start", "go on", "next"
    if ("O", None) in index:
        states.append((index["O", None], (index["O", None],), None, "o"))
    for entity_type in dict.fromkeys(p[1] for p in parts if p[1] is not None):
        b, i = index.get(("B", entity_type)), index.get(("I", entity_type))
        preferred = b if scheme == "IOB2" else i
        states.append((preferred if preferred is not None else (b if i is None else i),
                       tuple(k for k in (b, i) if k is not None), entity_type, "start"))
        if i is not None:
            states.append((i, (i,), entity_type, "go on"))
        if b is not None:
            states.append((b, (b,), entity_type, "next"))
    n = len(states)
    types = np.array([state[2] for state in states], dtype=object)
    kinds = np.array([state[3] for state in states])
    gather = np.zeros((len(classes), n))
    for k, (_, sources, _, _) in enumerate(states):
        gather[list(sources), k] = 1.0
    entity = kinds != "o"
    same = (types[:, None] == types[None, :]) & entity[:, None]
    allowed = np.where(np.isin(kinds, ("go on", "next"))[None, :], same, ~same)
    return _frozen(output=np.array([state[0] for state in states], dtype=np.intp),
                   gather=gather, moves=allowed.astype(np.float64),
                   start=np.isin(kinds, ("o", "start")).astype(np.float64), end=np.ones(n),
                   types=types, opening=entity, continuing=kinds == "go on")


class Lattice:
    """How per-token probabilities decode in an entity scheme: the best path, marginals, spans.

    With ``reading=False`` (what :class:`~sktag.TokenTagger` decodes with)
    the states are the labels and the steps those the scheme allows
    (:func:`transitions`): the distribution
    :math:`P(y) \\propto \\prod_t p_t(y_t)` over the valid sequences. A
    token whose mass lies on a label the scheme does not allow there (an
    ``I-X`` after ``O`` in IOB2) gives it up: the path repairs the prefix
    (``B-X``) when the entity goes on, and may drop a one-token entity.
    On English UNER dev (``configurations.entities()``, seed 0) this
    constraint raised entity F1 from 0.390 (argmax) to 0.437.

    With ``reading=True`` IOB1 and IOB2 labels are decoded by what they *read as*, the way
    seqeval's default mode and conlleval read them: an ``I-X`` that no
    ``X`` precedes begins an entity just as ``B-X`` does. The states are the
    readings of a token, per type X: an entity of X begins (the model's
    ``B-X`` and ``I-X`` probabilities added), it goes on (``I-X``), or a new
    one begins right after another X (``B-X``); and ``O``. Every label
    sequence reads as exactly one path of states, so the distribution over
    paths is the model's own, unrestricted, summed over the sequences that
    read alike: decoding never throws away the mass of an entity the model
    began with the other prefix, and the path is the most probable
    *reading*, written in valid labels of the scheme (``B-X`` begins in
    IOB2, ``I-X`` in IOB1). Because the reading distribution is the
    model's own, its best path is close to the argmax's reading: on English
    UNER dev it scored 0.390, as the argmax did, against 0.437 for the
    label lattice, whose constraint removes the model's weak ``I-`` starts.
    IOBES and BILOU are decoded on their label lattice either way.

    Parameters
    ----------
    classes : sequence of str
        The labels of the probabilities' columns, e.g. a tagger's ``classes_``.
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}
        The labels' entity scheme.
    reading : bool, default=False
        Decode the readings of B/I labels (see above) instead of the label
        lattice.

    Raises
    ------
    ValueError
        The scheme is unknown or a class is not of it.

    Examples
    --------
    >>> import numpy as np
    >>> classes = ["B-PER", "I-PER", "O"]
    >>> p = np.array([[0.1, 0.1, 0.8],     # O
    ...               [0.2, 0.5, 0.3],     # an entity begins: B-PER or I-PER, 0.7
    ...               [0.1, 0.5, 0.4]])    # it goes on
    >>> [classes[k] for k in Lattice(classes, "IOB2", reading=True).best_path(p)]
    ['O', 'B-PER', 'I-PER']
    >>> [classes[k] for k in Lattice(classes, "IOB2").best_path(p)]  # the label lattice
    ['O', 'O', 'O']
    """

    def __init__(self, classes, scheme, *, reading=False, transitions=None):
        key = as_key(classes)
        scheme = None if scheme is None and transitions is not None else canonical_scheme(scheme)
        self.classes, self.scheme = key, scheme
        self._weighted = transitions is not None
        if self._weighted:
            self._states = _crf_states(key, scheme, *transitions)
        else:
            self._states = (_reading_states if reading and scheme in ("IOB1", "IOB2")
                            else _label_states)(key, scheme)
        self._steps = self.allowed_steps()  # the masks best_path takes, made once
        self._labels_are_states = not self._weighted and self._states.gather.shape[1] == len(key)

    def allowed_steps(self):
        """``(allowed, start, end)`` as bool arrays over the states: which step
        the lattice allows at all (what a client decoding without sktag needs
        besides the weights)."""
        states = self._states
        return states.moves > 0, states.start > 0, states.end > 0

    def potentials(self, probabilities):
        """One sentence's state potentials: the floored class probabilities summed
        per state, each token's row scaled to a maximum of 1 (which changes no
        path and no marginal)."""
        floored = np.maximum(_checked_probabilities(probabilities, len(self.classes)), _EPSILON)
        potentials = floored @ self._states.gather
        if len(potentials):
            potentials /= potentials.max(axis=1, keepdims=True)
        return potentials

    def best_path(self, probabilities):
        """The most probable path of one sentence, as the class index of each token."""
        states = self._states
        if self._labels_are_states:  # the label lattice: best_path floors and checks itself
            return best_path(probabilities, *self._steps)
        potentials = self.potentials(probabilities)
        if not len(potentials):
            return np.zeros(0, dtype=np.intp)
        if self._weighted:  # the argmax of the emissions is no shortcut to the CRF's path
            path = _viterbi(np.log(potentials), _log_weights(states.moves),
                            _log_weights(states.start), _log_weights(states.end))
        else:
            path = best_path(potentials, *self._steps)
        return states.output[path]

    def token_marginals(self, probabilities):
        """``(n_tokens, n_classes)``: the probability that each token is given each class."""
        states = self._states
        marginals = _forward_backward(self.potentials(probabilities), states.moves,
                                      states.start, states.end)[3]
        return self._by_class(marginals)

    def _by_class(self, state_marginals):
        out = np.zeros((len(state_marginals), len(self.classes)))
        np.add.at(out.T, self._states.output, state_marginals.T)
        return out

    def span_marginals(self, probabilities, spans, *, return_token_marginals=False):
        """The probability of each exact entity ``(type, token_start, token_end)``.

        See :func:`span_marginals`; here over this lattice's distribution.
        """
        states = self._states
        potentials = self.potentials(probabilities)
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
        known = sorted({t for t in states.types if t is not None})
        for entity_type in by_type:
            if entity_type not in known:
                raise ValueError(f"Span type {entity_type!r} has no label among the classes; "
                                 f"known types: {known}.")
        alpha, beta, scale, marginals = _forward_backward(potentials, states.moves,
                                                          states.start, states.end)
        out = np.zeros(len(spans))
        bounds = np.array([span[1:] for span in spans], dtype=np.intp).reshape(len(spans), 2)
        for entity_type, members in by_type.items():
            index, begin, inside, leave = _span_moves(states, entity_type)
            members = np.array(members)
            first, stop = bounds[members, 0], bounds[members, 1]
            order = np.argsort(first - stop, kind="stable")  # longest first: a prefix goes on
            members, first, stop = members[order], first[order], stop[order]
            out[members] = _score_spans(first, stop, index, begin, inside, leave,
                                        potentials, alpha, beta, scale, states.start)
        out = np.clip(np.where(np.isfinite(out), out, 0.0), 0.0, 1.0)
        if return_token_marginals:
            return out, self._by_class(marginals)
        return out


def _span_moves(states, entity_type):
    """For one entity type: its states and the 0/1 steps of an entity.

    ``begin[i, j]``: state ``index[j]`` may follow state ``i`` (any) and
    begins an entity there; ``inside[i, j]``: ``index[j]`` may follow
    ``index[i]`` and goes on with its entity; ``leave[i, j]``: state ``j``
    (any) may follow ``index[i]`` and does not go on with its entity.
    """
    index = np.flatnonzero(states.types == entity_type)
    is_type = states.types == entity_type
    goes_on = (is_type & states.opening)[:, None] & (is_type & states.continuing)[None, :]
    begin = (states.moves * ~goes_on)[:, index]
    inside = (states.moves * goes_on)[np.ix_(index, index)]
    leave = (states.moves * ~goes_on)[index, :]
    return index, begin, inside, leave


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
    return Lattice(classes, scheme, reading=False).span_marginals(
        probabilities, spans, return_token_marginals=return_token_marginals)


def _score_spans(first, stop, index, begin, inside, leave, potentials, alpha, beta, scale,
                 start):
    """Marginals of spans of one type, sorted longest first (see span_marginals)."""
    n_tokens = len(potentials)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        chain = np.empty((len(first), len(index)))
        later = first > 0
        before = first[later] - 1
        chain[later] = alpha[before] @ begin
        chain[~later] = start[index]
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
