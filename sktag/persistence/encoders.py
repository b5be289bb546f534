"""sktag's encoders in a model file's header, and the tagged JSON that holds them.

An encoder is written as ``{"__estimator__": "<module>.<class>", "state":
{"__dict__": [[name, value], ...]}}``: its class by name (only the four of
:func:`encoder_classes`) and its own ``to_state()``, whose names are the
file's; it is read back, after its fields are checked, with the class's
``from_state``. An encoder given as a parameter (a ``vocabulary`` template)
is written by its parameters only. :func:`to_json` writes every value of a
header's ``params`` and ``fitted``; the specs here read the encoders.
"""

import functools
import inspect
import itertools

import numpy as np

from ..architecture import N_AFFIX
from ..schemes import ENTITY_SCHEMES
from .specs import (
    Array,
    Bool,
    Dict,
    Either,
    Enum,
    Int,
    Invalid,
    Null,
    Record,
    Str,
    exact_keys,
    optional,
    required,
    show,
    tagged,
)

__all__ = ["CHAR_VOCABULARY", "FEATURE_ENCODER", "LABEL", "MAX_CLASSES", "MAX_TOKEN_CHARS",
           "N_AFFIX", "TARGET_ENCODER", "VOCABULARY_TEMPLATE", "Estimator", "describe",
           "encoder_classes", "to_json"]

MAX_VOCAB = 1 << 24
MAX_CHARS = 1 << 21  # every Unicode code point fits
MAX_CLASSES = 1 << 16
MAX_TOKEN_CHARS = 1 << 20


@functools.cache
def encoder_classes():
    """``"<module>.<class>" -> class`` of the encoders a header may hold."""
    from ..features import SentenceEncoder
    from ..labels import SequenceLabelEncoder
    from ..vocabulary import CharVocabulary, Vocabulary

    classes = (SentenceEncoder, SequenceLabelEncoder, Vocabulary, CharVocabulary)
    return {f"{cls.__module__}.{cls.__qualname__}": cls for cls in classes}


# ----------------------------------------------------------------------
# tagged JSON, written: only the types a fitted tagger's state holds
# ----------------------------------------------------------------------
def to_json(value, where, *, template=False):
    """``value`` as JSON-ready data; raise TypeError naming ``where`` otherwise.

    An sktag encoder is written by its ``to_state()``, or with ``template``
    (an encoder given as a parameter, cloned in ``fit``) by its parameters.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)  # numpy's str_ (tokens picked with numpy) is written as str
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (list, tuple)):
        items = [to_json(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return items if isinstance(value, list) else {"__tuple__": items}
    if isinstance(value, dict):
        return {"__dict__": [[to_json(k, f"{where} key"), to_json(v, f"{where}[{k!r}]")]
                             for k, v in value.items()]}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufUO":
            raise TypeError(f"{where}: cannot store an array of dtype {value.dtype}")
        return {"__ndarray__": [to_json(v, where) for v in value.ravel().tolist()],
                "dtype": value.dtype.str if value.dtype.kind != "O" else "O",
                "shape": list(value.shape)}
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    if name in encoder_classes():
        state = value.get_params(deep=False) if template else value.to_state()
        params = _parameter_names(type(value))
        return {"__estimator__": name, "state": {"__dict__": [
            [key, to_json(item, f"{where}.{key}", template=key in params)]
            for key, item in state.items()]}}
    raise TypeError(f"{where}: cannot store a {type(value).__name__} safely")


@functools.cache
def _parameter_names(cls):
    """The parameters of an encoder class (an encoder given as one is a template)."""
    return frozenset(name for name in inspect.signature(cls.__init__).parameters
                     if name != "self")


def describe(value):
    """``module.qualname`` of a callable or of an object's class, for messages."""
    if isinstance(value, (list, tuple)):
        return [describe(v) for v in value]
    target = value if callable(value) and hasattr(value, "__qualname__") else type(value)
    module = getattr(target, "__module__", None) or getattr(
        getattr(target, "__objclass__", None), "__module__", "?"
    )
    return f"{module}.{getattr(target, '__qualname__', repr(target))}"


# ----------------------------------------------------------------------
# tagged encoders, read
# ----------------------------------------------------------------------
class Estimator(Record):
    """A tagged sktag encoder, ``{"__estimator__": name, "state": {"__dict__": ...}}``.

    ``fields`` are the names of its state; ``check(state, where)`` checks
    them together before the class's ``from_state`` builds the encoder.
    """

    def __init__(self, name, fields, check=None):
        super().__init__(fields, description=f"a {name.rsplit('.', 1)[-1]}")
        self.name, self.check = name, check

    def __call__(self, value, where):
        if type(value) is not dict or value.get("__estimator__") != self.name:
            self.fail(value, where)
        exact_keys(value, ("__estimator__", "state"), where)
        pairs = tagged(value["state"], "__dict__", f"{where}.state", self)
        exact_keys(value["state"], ("__dict__",), f"{where}.state")
        if type(pairs) is not list or any(
                type(p) is not list or len(p) != 2 or type(p[0]) is not str for p in pairs):
            raise Invalid(where, f"expected a list of [attribute, value] pairs, "
                                 f"got {show(pairs)}")
        state = dict(pairs)
        if len(state) != len(pairs):
            raise Invalid(where, "an attribute appears twice")
        state = self.build(state, where)
        if self.check is not None:
            self.check(state, where)
        try:
            return encoder_classes()[self.name].from_state(state)
        except ValueError as exc:
            raise Invalid(where, str(exc)) from None


# ----------------------------------------------------------------------
# what the encoders' states must be, together
# ----------------------------------------------------------------------
_VOCABULARY_FITTED = ("n_special_", "vocabulary_", "tokens_", "counts_", "unknown_ids_")


def _check_vocabulary(state, where):
    from ..vocabulary import PAD, UNK, UNKNOWN_SHAPES

    present = [name for name in _VOCABULARY_FITTED if name in state]
    if not present:
        return  # a template: parameters only
    if len(present) != len(_VOCABULARY_FITTED):
        missing = next(name for name in _VOCABULARY_FITTED if name not in state)
        raise Invalid(where, f"missing attribute {missing!r}")
    specials = [PAD, UNK] + (list(UNKNOWN_SHAPES) if state["unknown_shapes"] else [])
    tokens = state["tokens_"]
    n = len(tokens)
    if state["n_special_"] != len(specials):
        raise Invalid(f"{where}.n_special_", f"expected {len(specials)} (unknown_shapes="
                                             f"{state['unknown_shapes']}), got "
                                             f"{state['n_special_']}")
    if n < len(specials) or list(tokens[: len(specials)]) != specials:
        raise Invalid(f"{where}.tokens_", f"expected to start with {specials}")
    ids = state["vocabulary_"]
    if len(ids) != n or any(ids.get(token, -1) != i for i, token in enumerate(tokens.tolist())):
        raise Invalid(f"{where}.vocabulary_", "is not the id of each of tokens_")
    if state["lowercase"] and any(t != t.lower() for t in tokens[len(specials):].tolist()):
        raise Invalid(f"{where}.tokens_", "has an upper-case entry, but lowercase=True")
    for name in ("counts_", "unknown_ids_"):
        if len(state[name]) != n:
            raise Invalid(f"{where}.{name}", f"has {len(state[name])} items for {n} tokens")
    if not 0 <= state.get("n_extra_", 0) <= n - len(specials):
        raise Invalid(f"{where}.n_extra_", f"is {state['n_extra_']}, but the vocabulary has "
                                           f"{n - len(specials)} words")
    unknown_ids, n_special = state["unknown_ids_"], state["n_special_"]
    if len(unknown_ids) and (unknown_ids.max() >= n_special
                             or unknown_ids[:n_special].tolist() != list(range(n_special))):
        raise Invalid(f"{where}.unknown_ids_", "has ids that are not unknown ids")


def _check_chars(state, where):
    if "chars_" not in state:
        return  # a template
    chars = state["chars_"]
    if any(len(ch) != 1 for ch in chars) \
            or sorted(chars.values()) != list(range(2, len(chars) + 2)):
        raise Invalid(f"{where}.chars_", "is not one id from 2 on for each single character")


def _check_labels(state, where):
    classes = state["classes_"].tolist()
    if len(classes) < 2 or state["n_classes_"] != len(classes):
        raise Invalid(f"{where}.n_classes_", f"expected len(classes_) >= 2, got "
                                             f"{state['n_classes_']} for {len(classes)} classes")
    if any(a >= b for a, b in itertools.pairwise(classes)):
        raise Invalid(f"{where}.classes_", "is not sorted and distinct")
    if state["_index"] != {label: i for i, label in enumerate(classes)}:
        raise Invalid(f"{where}._index", "is not the id of each of classes_")


def _check_sentence_encoder(state, where):
    if (state["char_vocabulary"] is None) != (state["char_vocabulary_"] is None):
        raise Invalid(f"{where}.char_vocabulary_", "does not match char_vocabulary")


# ----------------------------------------------------------------------
# the encoders' fields
# ----------------------------------------------------------------------
_COUNT = Int(0, (1 << 62))
#: A label: a string or a 64-bit int.
LABEL = Either(Str(MAX_TOKEN_CHARS), Int(-(1 << 63), (1 << 63) - 1))


def _vocabulary_fields(fitted):
    want = required if fitted else optional
    return {
        "min_freq": required(Int(1, 1 << 62)),
        "max_size": required(Either(Null(), _COUNT)),
        "lowercase": required(Bool()),
        "unknown_shapes": required(Bool()),
        "n_special_": want(Int(2, 5)),
        "vocabulary_": want(Dict(Str(MAX_TOKEN_CHARS), Int(0, MAX_VOCAB), MAX_VOCAB)),
        "tokens_": want(Array({"O": Str(MAX_TOKEN_CHARS)}, MAX_VOCAB)),
        "counts_": want(Array({"<i8": _COUNT}, MAX_VOCAB)),
        "unknown_ids_": want(Array({"<i4": Int(0, 4)}, MAX_VOCAB)),
        "n_extra_": optional(Int(0, MAX_VOCAB)),  # only with extra words: 0 when absent
    }


def _char_fields(fitted):
    return {
        "max_chars": required(Int(N_AFFIX, 1024)),
        "min_freq": required(Int(1, 1 << 62)),
        "chars_": (Dict(Str(1, min_chars=1), Int(2, MAX_CHARS + 1), MAX_CHARS), fitted),
    }


_VOCABULARY = "sktag.vocabulary.Vocabulary"
_CHAR_VOCABULARY = "sktag.vocabulary.CharVocabulary"
#: A Vocabulary given as a parameter: its parameters only.
VOCABULARY_TEMPLATE = Estimator(_VOCABULARY, _vocabulary_fields(False), _check_vocabulary)
#: A CharVocabulary given as a parameter.
CHAR_VOCABULARY = Estimator(_CHAR_VOCABULARY, _char_fields(False), _check_chars)

#: The tagger's fitted ``target_encoder_``.
TARGET_ENCODER = Estimator("sktag.labels.SequenceLabelEncoder", {
    "classes_": required(Array({"O": Str(MAX_TOKEN_CHARS),
                                "<i8": Int(-(1 << 63), (1 << 63) - 1)}, MAX_CLASSES)),
    "n_classes_": required(Int(2, MAX_CLASSES)),
    "scheme": optional(Either(Null(), Enum(*ENTITY_SCHEMES))),  # newer than sktag 0.1
    "scheme_": required(Either(Null(), Enum(*ENTITY_SCHEMES, "iob2"))),  # 0.1 wrote "iob2"
    "_index": required(Dict(LABEL, Int(0, MAX_CLASSES), MAX_CLASSES)),
}, _check_labels)
#: The tagger's fitted ``feature_encoder_`` (its tokenizer is code: never stored).
FEATURE_ENCODER = Estimator("sktag.features.SentenceEncoder", {
    "vocabulary": required(Either(Null(), VOCABULARY_TEMPLATE)),
    "char_vocabulary": required(Either(Null(), CHAR_VOCABULARY)),
    "tokenizer": required(Null()),
    "vocabulary_": required(Estimator(_VOCABULARY, _vocabulary_fields(True),
                                      _check_vocabulary)),
    "char_vocabulary_": required(Either(Null(), Estimator(
        _CHAR_VOCABULARY, _char_fields(True), _check_chars))),
}, _check_sentence_encoder)
