"""Entity label schemes: label prefixes, detection from evidence, valid transitions, entities.

Every rule about entity labels lives here, once: how a label splits into a
prefix and a type (:func:`label_parts`), which schemes exist
(:data:`ENTITY_SCHEMES`), which scheme labels follow (:func:`scheme_evidence`,
:func:`detect_scheme`), which label may follow which (:func:`transitions`)
and which entities a label sequence holds (:func:`read_entities`).
:mod:`sktag.decoding`, :mod:`sktag.spans`, :mod:`sktag.metrics` and the
estimator ask this module.

Entities are read from labels the same way in every scheme, as conlleval and
seqeval's default mode do: a ``B-``, ``S-`` or ``U-`` label begins an entity;
an ``I-``, ``E-`` or ``L-`` label continues the entity of its type that the
previous token's ``B-`` or ``I-`` label left open, and otherwise begins one;
``E-``, ``L-``, ``S-``, ``U-`` and ``O`` close it. On a valid sequence this
is the scheme's own reading; the scheme decides which sequences are valid.
"""

import functools
import warnings
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ENTITY_SCHEMES",
    "LabelSchemeWarning",
    "SchemeEvidence",
    "canonical_scheme",
    "detect_scheme",
    "is_iob2_tagging",
    "label_parts",
    "read_entities",
    "scheme_evidence",
    "transitions",
]

#: The entity prefixes each scheme uses besides "O"; names as in sktag.metrics.SCHEMES.
PREFIXES = {"IOB1": "BI", "IOB2": "BI", "IOBES": "BIES", "BILOU": "BILU"}
_ALIASES = {"BIOES": "IOBES"}
#: The entity schemes sktag reads and decodes, by the names :func:`detect_scheme` gives.
ENTITY_SCHEMES = tuple(PREFIXES)
#: The label of a one-token entity in each scheme.
SINGLE = {"IOB1": "I", "IOB2": "B", "IOBES": "S", "BILOU": "U"}
#: Prefixes after which the entity may go on.
OPENING = ("B", "I")
#: Prefixes that go on with an open entity of their type.
CONTINUING = ("I", "E", "L")
#: How many sentence indices a warning names.
_SHOWN = 5


class LabelSchemeWarning(UserWarning):
    """Training labels of which some entities break the scheme the others follow."""


def label_parts(label):
    """``(prefix, type)`` of an entity label, ``("O", None)``, or None for other labels.

    Examples
    --------
    >>> label_parts("B-PER"), label_parts("O"), label_parts("NOUN")
    (('B', 'PER'), ('O', None), None)
    """
    if not isinstance(label, str):
        return None
    if label == "O":
        return "O", None
    if len(label) > 2 and label[0] in "BIESLU" and label[1] == "-":
        return label[0], label[2:]
    return None


def canonical_scheme(scheme):
    """The name :func:`detect_scheme` gives an entity scheme (``"iob2"`` -> ``"IOB2"``).

    Raises
    ------
    ValueError
        ``scheme`` is not one of :data:`ENTITY_SCHEMES` (or ``"BIOES"``).
    """
    name = scheme.upper() if isinstance(scheme, str) else scheme
    name = _ALIASES.get(name, name)
    if name in PREFIXES:
        return name
    hint = ""
    if scheme is None:
        hint = (" The labels are not an entity tagging (see sktag.schemes.detect_scheme): "
                "entities need labels such as 'B-PER', 'I-PER' and 'O'.")
    raise ValueError(
        f"scheme must be one of {sorted(PREFIXES)} ('BIOES' is accepted for 'IOBES'), "
        f"got {scheme!r}.{hint}"
    )


def read_entities(tags, scheme=None):
    """The entities of one label sequence, as ``(type, token_start, token_end)``.

    The one reader of entities in sktag, lenient as conlleval and seqeval's
    default mode are (see the module's docstring): ``O I-PER`` holds a PER at
    token 1, ``B-PER I-LOC`` a PER and a LOC, and in IOBES ``B-PER O`` a PER
    at token 0. No token is ever dropped.

    Parameters
    ----------
    tags : sequence of str
        One label per token.
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}, default=None
        When given, every label must be of the scheme.

    Returns
    -------
    entities : list of (str, int, int)
        Entity type, first token and the token after the last, in order;
        they never overlap.

    Raises
    ------
    ValueError
        A label is not ``"O"`` or ``<prefix>-<type>`` (of ``scheme``'s
        prefixes), or the scheme is unknown.

    Examples
    --------
    >>> read_entities(["B-PER", "I-PER", "O", "B-LOC"])
    [('PER', 0, 2), ('LOC', 3, 4)]
    >>> read_entities(["I-PER", "B-PER", "I-LOC"], "IOB1")
    [('PER', 0, 1), ('PER', 1, 2), ('LOC', 2, 3)]
    >>> read_entities(["S-PER", "B-LOC", "E-LOC"], "IOBES")
    [('PER', 0, 1), ('LOC', 1, 3)]
    """
    prefixes = "BIESLU" if scheme is None else PREFIXES[canonical_scheme(scheme)]
    entities = []
    open_type, first = None, 0  # the entity a B- or I- left open, and its first token
    for t, label in enumerate(tags):
        parts = label_parts(label)
        if parts is None or parts[0] not in "O" + prefixes:
            named = f"{canonical_scheme(scheme)}; its labels are" if scheme else \
                "an entity label; those are"
            raise ValueError(f"Label {label!r} at token {t} is not {named} 'O' and "
                             f"{', '.join(f'{x}-<type>' for x in prefixes)}.")
        prefix, entity_type = parts
        goes_on = open_type == entity_type and prefix in CONTINUING
        if open_type is not None and not goes_on:
            entities.append((open_type, first, t))
            open_type = None
        if prefix == "O":
            continue
        if not goes_on:
            first = t
        if prefix in OPENING:
            open_type = entity_type
        else:  # E, L, S, U: the entity ends here
            entities.append((entity_type, first, t + 1))
            open_type = None
    if open_type is not None:
        entities.append((open_type, first, len(tags)))
    return entities


# ----------------------------------------------------------------------
# which scheme: the one the great majority of entities follow
# ----------------------------------------------------------------------
@dataclass(frozen=True)
class SchemeEvidence:
    """What entity labels say about their scheme.

    Attributes
    ----------
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}
        The scheme the most entities follow.
    n_entities : int
        Entities in the labels (read as :func:`read_entities` reads them).
    breaking : tuple of (int, int)
        ``(sentence, token)`` of the first token of every entity that does
        not follow ``scheme``, in order.
    """

    scheme: str
    n_entities: int
    breaking: tuple

    def describe(self, name="y"):
        """A sentence for a warning: how many entities break the scheme, and where."""
        sentences = sorted({sentence for sentence, _ in self.breaking})
        shown = ", ".join(map(str, sentences[:_SHOWN])) + (", ..." if len(sentences) > _SHOWN
                                                           else "")
        how = {"IOB2": "begin with I- instead of B-",
               "IOB1": "begin with B- though no entity of their type precedes them",
               "IOBES": "are not S- alone or B- I-... E-",
               "BILOU": "are not U- alone or B- I-... L-"}[self.scheme]
        return (f"{name}: {len(self.breaking)} of {self.n_entities} entities {how} "
                f"(sentences {shown}), against {self.scheme}, which the others follow; they "
                f"are read as entities all the same, as seqeval's default mode reads them.")


def _follows(scheme, prefixes, adjacent):
    """Whether one entity (its labels' prefixes) follows ``scheme``; ``adjacent``:
    an entity of its type ends on the token before it."""
    if scheme == "IOB2":
        return prefixes[0] == "B"
    if scheme == "IOB1":
        return prefixes[0] == "I" or adjacent
    single, last = ("S", "E") if scheme == "IOBES" else ("U", "L")
    if len(prefixes) == 1:
        return prefixes[0] == single
    return prefixes[0] == "B" and prefixes[-1] == last and set(prefixes[1:-1]) <= {"I"}


def scheme_evidence(y, scheme=None):
    """Which entity scheme label sequences follow, and which entities break it.

    A scheme is the one that the most entities follow, so that a few noisy
    entities (an ``I-`` start in IOB2 data, as UD-based entity files carry)
    do not decide it. For labels with only ``B-`` and ``I-`` prefixes, IOB2
    is broken by an entity that begins with ``I-``, IOB1 by one that begins
    with ``B-`` where no entity of its type ends just before; the one broken
    less wins (IOB2 on a tie). ``E-``/``S-`` prefixes mean IOBES, ``L-``/``U-``
    BILOU (both kinds: no scheme).

    Parameters
    ----------
    y : list of list of labels
        Label sequences, one per sentence.
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}, default=None
        Count the entities that break this scheme instead of choosing one.

    Returns
    -------
    evidence : SchemeEvidence or None
        None when the labels are not an entity tagging: a label that is not
        ``"O"`` or ``<prefix>-<type>``, no entity label at all, or the
        prefixes of IOBES and of BILOU mixed.

    Examples
    --------
    >>> evidence = scheme_evidence([["B-PER", "I-PER", "O"], ["I-LOC"], ["B-ORG"]])
    >>> evidence.scheme, evidence.n_entities, evidence.breaking
    ('IOB2', 3, ((1, 0),))
    """
    counts = dict.fromkeys("BIESLU", 0)
    entities = []  # (sentence, first token, prefixes, adjacent)
    for i, seq in enumerate(y):
        parts = [label_parts(label) for label in seq]
        if any(p is None for p in parts):
            return None
        labels = list(seq)
        previous_end = {}  # type -> the token after its last entity
        for entity_type, first, stop in read_entities(labels):
            prefixes = "".join(p[0] for p in parts[first:stop])
            entities.append((i, first, prefixes, previous_end.get(entity_type) == first))
            previous_end[entity_type] = stop
        for prefix, _ in parts:
            if prefix != "O":
                counts[prefix] += 1
    if not entities:
        return None
    if scheme is not None:
        candidates = (canonical_scheme(scheme),)
    elif counts["E"] + counts["S"] + counts["L"] + counts["U"] == 0:
        candidates = ("IOB2", "IOB1")
    elif counts["L"] + counts["U"] == 0:
        candidates = ("IOBES",)
    elif counts["E"] + counts["S"] == 0:
        candidates = ("BILOU",)
    else:
        return None  # IOBES and BILOU prefixes mixed: no scheme sktag can decode
    best = None
    for name in candidates:
        breaking = tuple((i, first) for i, first, prefixes, adjacent in entities
                         if not _follows(name, prefixes, adjacent))
        if best is None or len(breaking) < len(best.breaking):
            best = SchemeEvidence(name, len(entities), breaking)
    return best


def detect_scheme(y, *, warn=False, name="y"):
    """The entity tagging scheme of label sequences, or None if they are not one.

    The scheme the most entities follow (:func:`scheme_evidence`): six
    entities that begin with ``I-`` among 3,000 that begin with ``B-`` are
    IOB2 with six noisy entities, not IOB1.

    Parameters
    ----------
    y : list of list of labels
        Label sequences, one per sentence.
    warn : bool, default=False
        Warn (:class:`LabelSchemeWarning`) when some entities break the
        scheme, naming how many and the first sentences.
    name : str, default="y"
        The labels' name in the warning.

    Returns
    -------
    {"IOB1", "IOB2", "IOBES", "BILOU"} or None
        Names as in :data:`sktag.metrics.SCHEMES`, so the result can be
        passed as ``scheme=`` to the entity scores there. None for labels
        that are not an entity tagging (``"NOUN"``, ints, only ``"O"``).

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
    evidence = scheme_evidence(y)
    if evidence is None:
        return None
    if warn and evidence.breaking:
        warnings.warn(evidence.describe(name), LabelSchemeWarning, stacklevel=2)
    return evidence.scheme


def is_iob2_tagging(y):
    """Whether label sequences are a valid IOB2 entity tagging, every entity included.

    True when every label is ``"O"``, ``"B-<type>"`` or ``"I-<type>"``, at
    least one ``B-`` label occurs, and every ``I-<type>`` continues a
    ``B-<type>`` or ``I-<type>`` of the same type. IOB1 data (where ``I-``
    may begin an entity) and POS tags give False.

    Examples
    --------
    >>> is_iob2_tagging([["B-PER", "I-PER", "O"], ["O", "B-LOC"]])
    True
    >>> is_iob2_tagging([["O", "I-PER"]])
    False
    >>> is_iob2_tagging([["NOUN", "VERB"]])
    False
    """
    evidence = scheme_evidence(y, "IOB2")
    return (evidence is not None and not evidence.breaking
            and all(label_parts(label)[0] in "BIO" for seq in y for label in seq))


# ----------------------------------------------------------------------
# valid transitions
# ----------------------------------------------------------------------
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
    allowed, start, end = cached_transitions(as_key(classes), canonical_scheme(scheme))
    return allowed.copy(), start.copy(), end.copy()


def as_key(classes):
    """``classes`` as a hashable tuple (for the caches of this module and of decoding)."""
    return tuple(classes.tolist() if isinstance(classes, np.ndarray) else classes)


@functools.lru_cache(maxsize=16)
def cached_transitions(classes, scheme):
    """:func:`transitions` for a tuple of classes and a checked scheme, read-only."""
    parts = [label_parts(label) for label in classes]
    prefixes = PREFIXES[scheme]
    bad = [label for label, p in zip(classes, parts) if p is None or p[0] not in "O" + prefixes]
    if bad:
        kinds = ", ".join(f"'{x}-<type>'" for x in prefixes[:-1])
        raise ValueError(
            f"Labels {bad[:5]} are not {scheme} ('O', {kinds} or '{prefixes[-1]}-<type>')."
        )
    prefix = np.array([p[0] for p in parts])
    types = np.array([p[1] for p in parts], dtype=object)
    same_type = (types[:, None] == types[None, :]) & (prefix != "O")[:, None]
    opening = np.isin(prefix, OPENING)
    follows = opening[:, None] & same_type  # [i, j]: j goes on with the entity i left open
    if scheme in ("IOB1", "IOB2"):
        needs = prefix == ("I" if scheme == "IOB2" else "B")
        allowed = np.where(needs[None, :], follows, True)
        start, end = ~needs, np.ones(len(classes), dtype=bool)
    else:
        inside = np.isin(prefix, CONTINUING)
        allowed = np.where(inside[None, :], follows, ~opening[:, None])
        start, end = ~inside, ~opening
    useful = on_some_path(allowed, start, end)
    allowed &= useful[:, None] & useful[None, :]
    start &= useful
    end &= useful
    if not (start & end & np.diagonal(allowed)).any():
        raise ValueError(
            f"Labels {list(classes)[:10]} admit no valid {scheme} sentence of some "
            f"lengths; the classes need 'O' or a one-token entity label "
            f"('{SINGLE[scheme]}-<type>')."
        )
    for array in (allowed, start, end):
        array.flags.writeable = False
    return allowed, start, end


def on_some_path(allowed, start, end):
    """States that some path (of some length) from ``start`` to ``end`` holds."""
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
