"""Safe model files: a fitted tagger's state as JSON and raw arrays, no pickle.

A pickle (and so a joblib file) runs code when it is loaded, so a model file
from somebody else is a program from somebody else. An sktag model file
(format :data:`FORMAT_VERSION` = 2) is one zip archive of two members:

``sktag.json`` (deflated)
    The header: the format name and version, the versions that wrote it,
    the tagger's parameters, its fitted vocabularies, labels and
    ``history_`` in a tagged JSON that only rebuilds numbers, strings,
    lists, dicts, numpy arrays and sktag's own encoder classes, and the
    ``arrays`` manifest: the key (``weights/<layer>/<i>``,
    ``optimizer/<i>``), dtype (``<f4``, ``<i4`` or ``<i8``), shape and byte
    offset of every array.
``arrays.bin`` (stored)
    The arrays' raw little-endian bytes, in manifest order, each starting
    at a multiple of 16 bytes (zero padding between them).

:func:`read_model_file` treats every byte as hostile. Each member is read
with a bound fixed before reading starts, never from a size the archive
declares: the header at most :data:`MAX_HEADER_BYTES`, and stops early when
it inflates more than :data:`MAX_HEADER_RATIO` times its compressed bytes;
the header is validated against one declarative schema (:data:`_HEADER_V2`:
types, ranges, list lengths, the sizes of the vocabularies and labels
consistent with each other) before anything is built from it; then the
manifest must be exactly the shapes that header's model needs
(:func:`sktag.onnx_graphs.expected_weight_shapes`) and ``arrays.bin`` exactly
their bytes. Only then are the bytes read, and the arrays are
``np.frombuffer`` views of them. Anything wrong is a :class:`ModelFileError`
(a ``ValueError``) whose message starts with the file's path. Reading
imports neither Keras nor TensorFlow, except to rebuild an optimizer
*instance* given as the ``optimizer`` parameter (Keras's own deserializer,
built-in optimizer classes only).

Format 1 files (``sktag.json`` and a Keras ``model.keras``, sktag 0.1.0)
still load: :func:`_migrate_1_to_2` reads the Keras model with Keras in safe
mode, after bounding it and checking its weights file, and turns it into the
weights of format 2.

:func:`write_model_file` runs the same validation on what it writes, so a
file it writes is one it reads, and writes atomically: the archive is
written next to its destination under a temporary name and renamed, so an
interrupted save never leaves half a model.
"""

import errno
import inspect
import io
import json
import math
import os
import re
import secrets
import struct
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from . import __version__
from .parameters import CODE, PARAMETERS, refusal
from .schemes import ENTITY_SCHEMES

__all__ = [
    "FORMAT_VERSION",
    "MAX_HEADER_BYTES",
    "HEADER_FREE_CONTAINERS",
    "HEADER_FREE_VALUES",
    "MAX_HEADER_RATIO",
    "MODEL_SUFFIX",
    "ModelFileError",
    "check_safe_model_file",
    "check_writable",
    "file_kind",
    "header_budget",
    "is_model_file_name",
    "read_model_file",
    "write_model_file",
]

#: Version of the file layout this sktag writes; :func:`read_model_file` reads this and older.
FORMAT_VERSION = 2
_FORMAT_NAME = "sktag.TokenTagger"
#: The file name ending of safe model files; such a file is never unpickled.
MODEL_SUFFIX = ".sktag"
_HEADER = "sktag.json"
_ARRAYS = "arrays.bin"
_KERAS = "model.keras"  # format 1

#: The most bytes ``sktag.json`` may inflate to: a vocabulary of about seven
#: million words (35-40 bytes of JSON each).
MAX_HEADER_BYTES = 256 << 20
#: The most ``sktag.json`` may inflate per compressed byte (beyond its first
#: MiB). sktag's headers inflate 2-5 times; a deflate bomb of zeros 1000 times.
MAX_HEADER_RATIO = 50
_RATIO_FREE_BYTES = 1 << 20
#: The JSON values a header may have, before it is parsed: this many, plus one
#: per byte of the whole file (:func:`header_budget`). A vocabulary word costs
#: a header about six values and its file at least nine bytes (four of its
#: embedding row with ``d_model=1``, the rest its compressed header text), so
#: every file sktag writes fits; a header of values without weights behind
#: them does not. Parsing builds one Python object per value, at most 72 bytes
#: each (an empty dict in its list).
HEADER_FREE_VALUES = 1 << 18
#: The JSON lists and objects a header may have: this many, plus one per four
#: bytes of the file (a vocabulary word is one ``[word, id]`` pair).
HEADER_FREE_CONTAINERS = 1 << 16
#: Bounds of the central directory: two members, short names.
_MAX_DIRECTORY_BYTES = 1 << 16
_MAX_MEMBERS = 16
#: Bounds of the inner zip and weights of a format-1 ``model.keras``.
_MAX_KERAS_JSON_BYTES = 4 << 20
_ALIGN = 16
_ZIP64_FROM = 1 << 31  # arrays.bin this big is written with zip64 sizes
_CHUNK = 1 << 20

_MAX_VOCAB = 1 << 24
_MAX_CHARS = 1 << 21  # every Unicode code point fits
_MAX_CLASSES = 1 << 16
_MAX_TOKEN_CHARS = 1 << 20
_MAX_EPOCHS = 1 << 20
_MAX_ARRAYS = 1 << 14
_DTYPES = ("<f4", "<i4", "<i8")  # the only array dtypes a model file holds
_N_AFFIX = 3  # build_model's AffixChars(3)
# Per trainable weight, at most: Adam's two slots and amsgrad's third, an EMA
# copy, a gradient accumulator; plus a few scalars (iterations, learning rate).
_OPTIMIZER_SLOTS = 6
_OPTIMIZER_SCALARS = 8


class ModelFileError(ValueError):
    """A file that :func:`sktag.load` cannot turn into a tagger, and why."""


# ----------------------------------------------------------------------
# the kind of file, from its first bytes
# ----------------------------------------------------------------------
def file_kind(path):
    """``"zip"``, ``"pickle"`` or ``"other"``, from the first bytes of ``path``.

    Raises
    ------
    ModelFileError
        The file cannot be read.
    """
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read the file ({exc}).") from None
    if magic in (b"PK\x03\x04", b"PK\x05\x06"):  # a zip, or an empty zip
        return "zip"
    # Protocol 2+ pickles start with PROTO (0x80); joblib's compressed files with
    # a zlib, gzip, bz2, xz or lz4 header.
    if magic[:1] == b"\x80" or magic[:2] in (b"\x78\x01", b"\x78\x5e", b"\x78\x9c",
                                              b"\x78\xda", b"\x1f\x8b", b"BZ") \
            or magic in (b"\xfd7zX", b"\x04\x22\x4d\x18"):
        return "pickle"
    return "other"


def is_model_file_name(path):
    """Whether ``path`` is named like an sktag model file: it ends with
    :data:`MODEL_SUFFIX` in any case (``.sktag``, ``.SKTAG``), as file systems
    that ignore case (macOS, Windows) and users read it. Such a file is never
    unpickled, and sktag writes its safe format to such a name."""
    return Path(path).suffix.lower() == MODEL_SUFFIX


def check_safe_model_file(path):
    """Raise unless ``path`` exists and starts like a zip archive.

    Tells a pickle or other file from a zip before a zip reader looks for
    its end: ``zipfile`` finds an archive by its *last* bytes, and a joblib
    file of a tagger can end with one. The messages say what the file is
    and, for a pickle, why sktag does not unpickle it.

    Raises
    ------
    ModelFileError
        A missing file, a pickle, or anything else that is not a zip.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file.")
    kind = file_kind(path)
    if kind == "zip":
        return
    never = f"sktag never unpickles a {MODEL_SUFFIX} file, whoever wrote it."
    trust = ("Unpickling runs whatever code its writer put in it, so sktag.load never does; "
             "if you trust whoever wrote it, load it with joblib.load (sktag commands: "
             "--trust-pickle).")
    if kind == "pickle" and is_model_file_name(path):
        raise ModelFileError(
            f"{path} is named {path.suffix} but holds a pickle, not an sktag model file; "
            f"{never}"
        )
    if kind == "pickle":
        raise ModelFileError(f"{path} is a pickle (joblib) file, not an sktag model file. {trust}")
    damaged = (f"{path} is not an sktag model file, or it is truncated or corrupted "
               f"(it does not start like a zip archive).")
    if is_model_file_name(path):
        raise ModelFileError(f"{damaged} {never}")
    raise ModelFileError(f"{damaged} If it is a joblib or pickle file: {trust}")


# ----------------------------------------------------------------------
# tagged JSON, written: only the types a fitted tagger's state holds
# ----------------------------------------------------------------------
def _encoder_classes():
    from .features import SentenceEncoder
    from .labels import SequenceLabelEncoder
    from .vocabulary import CharVocabulary, Vocabulary

    classes = (SentenceEncoder, SequenceLabelEncoder, Vocabulary, CharVocabulary)
    return {f"{cls.__module__}.{cls.__qualname__}": cls for cls in classes}


def _to_json(value, where):
    """``value`` as JSON-ready data; raise TypeError naming ``where`` otherwise."""
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
        items = [_to_json(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return items if isinstance(value, list) else {"__tuple__": items}
    if isinstance(value, dict):
        return {"__dict__": [[_to_json(k, f"{where} key"), _to_json(v, f"{where}[{k!r}]")]
                             for k, v in value.items()]}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufUO":
            raise TypeError(f"{where}: cannot store an array of dtype {value.dtype}")
        return {"__ndarray__": [_to_json(v, where) for v in value.ravel().tolist()],
                "dtype": value.dtype.str if value.dtype.kind != "O" else "O",
                "shape": list(value.shape)}
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    if name in _encoder_classes():
        state = dict(vars(value))
        if name == "sktag.features.SentenceEncoder":
            state["vocabulary"] = _template(state["vocabulary"])
            state["char_vocabulary"] = _template(state["char_vocabulary"])
        return {"__estimator__": name, "state": _to_json(state, f"{where}.__dict__")}
    raise TypeError(f"{where}: cannot store a {type(value).__name__} safely")


def _template(estimator):
    """An encoder given as a template (cloned in ``fit``): its parameters only."""
    if estimator is None or f"{type(estimator).__module__}.{type(estimator).__qualname__}" \
            not in _encoder_classes():
        return estimator
    copy = object.__new__(type(estimator))
    copy.__dict__.update(estimator.get_params(deep=False))
    return copy


def _stored_params(params):
    """The parameters as JSON, and the descriptions of those left out.

    Callables (``tokenizer``) and callbacks are code: the file records their
    names only and loading asks for them again. So is a ``RandomState``
    (it only seeds future training). A Keras optimizer instance is stored in
    Keras's own serialization, a built-in Keras optimizer class by its name.
    """
    keras = sys.modules.get("keras")  # no Keras loaded: no Keras objects to store
    stored, left_out = {}, {}
    for name, value in params.items():
        if keras is not None and isinstance(value, keras.optimizers.Optimizer):
            serialized = keras.optimizers.serialize(value)
            config = serialized.get("config")
            if isinstance(config, dict) and all(
                    isinstance(v, (type(None), bool, int, float, str)) for v in config.values()):
                stored[name] = {"__keras_optimizer__": _to_json(serialized, name)}
            else:  # a learning-rate schedule or another object in its config
                left_out[name] = _describe(value)
            continue
        if keras is not None and isinstance(value, type) \
                and issubclass(value, keras.optimizers.Optimizer) \
                and value.__module__.startswith("keras."):
            value = value.__name__  # a built-in class, by the name keras.optimizers.get takes
        if name == "vocabulary":
            value = _template(value)
        try:
            stored[name] = _to_json(value, name)
        except TypeError:  # code (a tokenizer, callbacks, a custom optimizer), a RandomState
            left_out[name] = _describe(value)
    return stored, left_out


def _describe(value):
    """``module.qualname`` of a callable or of an object's class, for messages."""
    if isinstance(value, (list, tuple)):
        return [_describe(v) for v in value]
    target = value if callable(value) and hasattr(value, "__qualname__") else type(value)
    module = getattr(target, "__module__", None) or getattr(
        getattr(target, "__objclass__", None), "__module__", "?"
    )
    return f"{module}.{getattr(target, '__qualname__', repr(target))}"


# ----------------------------------------------------------------------
# the schema: a few value kinds, and one table of what goes where
# ----------------------------------------------------------------------
class _Invalid(Exception):
    """A value that does not fit the schema, at ``where``."""

    def __init__(self, where, message):
        super().__init__(where, message)
        self.where, self.message = where, message


def _show(value):
    """A short description of a JSON value for messages (never a huge repr)."""
    if isinstance(value, dict):
        keys = sorted(value, key=str)
        return f"an object with keys {keys[:5]}" + ("..." if len(keys) > 5 else "")
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    if isinstance(value, str) and len(value) > 40:
        return repr(value[:40]) + "..."
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "..."


class _Spec:
    """One kind of value: ``spec(value, where)`` checks it and returns it built."""

    description = "?"

    def __call__(self, value, where):
        raise NotImplementedError

    def fail(self, value, where):
        raise _Invalid(where, f"expected {self.description}, got {_show(value)}")

    def accepts_all(self, values):
        """Whether every one of ``values`` fits, as they are (a fast path for arrays)."""
        return False


class _Null(_Spec):
    description = "null"

    def __call__(self, value, where):
        if value is not None:
            self.fail(value, where)


class _Bool(_Spec):
    description = "true or false"

    def __call__(self, value, where):
        if type(value) is not bool:
            self.fail(value, where)
        return value


class _Int(_Spec):
    def __init__(self, low, high):
        self.low, self.high = low, high
        self.description = f"an int in [{low}, {high}]"

    def __call__(self, value, where):
        if type(value) is not int or not self.low <= value <= self.high:
            self.fail(value, where)
        return value

    def accepts_all(self, values):
        return all(type(v) is int for v in values) and (
            not values or self.low <= min(values) and max(values) <= self.high)


class _Float(_Spec):
    """A number (int or float) in a range; finite unless ``finite=False``."""

    def __init__(self, low=-math.inf, high=math.inf, *, below=False, finite=True):
        self.low, self.high, self.below, self.finite = low, high, below, finite
        bracket = ")" if below else "]"
        self.description = (f"a {'finite ' if finite else ''}number in [{low}, {high}{bracket}"
                            if (low, high) != (-math.inf, math.inf) else
                            f"a {'finite ' if finite else ''}number")

    def __call__(self, value, where):
        if type(value) not in (int, float):
            self.fail(value, where)
        if type(value) is float and not math.isfinite(value):
            if self.finite:
                self.fail(value, where)
            return value
        if not self.low <= value <= self.high or (self.below and value == self.high):
            self.fail(value, where)
        return value


class _Str(_Spec):
    def __init__(self, max_chars, pattern=None, min_chars=0):
        self.max_chars, self.min_chars = max_chars, min_chars
        self.pattern = re.compile(pattern) if pattern else None
        self.description = (f"a string matching {pattern}" if pattern else
                            f"a string of {min_chars} to {max_chars} characters")

    def __call__(self, value, where):
        if type(value) is not str or not self.min_chars <= len(value) <= self.max_chars \
                or (self.pattern and not self.pattern.fullmatch(value)):
            self.fail(value, where)
        return value

    def accepts_all(self, values):
        return self.pattern is None and all(
            type(v) is str and self.min_chars <= len(v) <= self.max_chars for v in values)


class _Enum(_Spec):
    def __init__(self, *values):
        self.values = values
        self.description = "one of " + ", ".join(json.dumps(v) for v in values)

    def __call__(self, value, where):
        if not any(type(v) is type(value) and v == value for v in self.values):
            self.fail(value, where)
        return value


class _Either(_Spec):
    def __init__(self, *specs):
        self.specs = specs
        self.description = " or ".join(spec.description for spec in specs)

    def __call__(self, value, where):
        deepest = None
        for spec in self.specs:
            try:
                return spec(value, where)
            except _Invalid as exc:
                if exc.where != where and deepest is None:
                    deepest = exc  # the value has the right kind but a wrong part
        if deepest is not None:
            raise deepest
        self.fail(value, where)


class _List(_Spec):
    """A JSON list."""

    def __init__(self, item, max_len, min_len=0):
        self.item, self.max_len, self.min_len = item, max_len, min_len
        self.description = f"a list of {min_len} to {max_len} items ({item.description})"

    def __call__(self, value, where):
        if type(value) is not list or not self.min_len <= len(value) <= self.max_len:
            self.fail(value, where)
        return [self.item(v, f"{where}[{i}]") for i, v in enumerate(value)]


def _tagged(value, tag, where, spec):
    """The payload of a one-key tagged JSON object ``{tag: payload, ...}``."""
    if type(value) is not dict or tag not in value:
        spec.fail(value, where)
    return value[tag]


def _exact_keys(value, keys, where):
    extra = set(value) - set(keys)
    if extra:
        raise _Invalid(where, f"unknown key {sorted(extra)[0]!r}")
    missing = [key for key in keys if key not in value]
    if missing:
        raise _Invalid(where, f"missing key {missing[0]!r}")


class _Dict(_Spec):
    """A tagged dict, ``{"__dict__": [[key, value], ...]}``."""

    def __init__(self, key, value, max_len):
        self.key, self.value, self.max_len = key, value, max_len
        self.description = f"a dict of at most {max_len} entries"

    def __call__(self, value, where):
        pairs = _tagged(value, "__dict__", where, self)
        _exact_keys(value, ("__dict__",), where)
        if type(pairs) is not list or len(pairs) > self.max_len:
            self.fail(value, where)
        out = {}
        for i, pair in enumerate(pairs):
            if type(pair) is not list or len(pair) != 2:
                raise _Invalid(f"{where}[{i}]", f"expected a [key, value] pair, got {_show(pair)}")
            key = self.key(pair[0], f"{where} key {i}")
            if key in out:
                raise _Invalid(where, f"key {_show(key)} appears twice")
            out[key] = self.value(pair[1], f"{where}[{_show(key)}]")
        return out


class _Array(_Spec):
    """A tagged 1-D array, ``{"__ndarray__": [...], "dtype": ..., "shape": [n]}``."""

    def __init__(self, items, max_len):
        self.items, self.max_len = items, max_len  # dtype -> spec of its items
        self.description = (f"an array of at most {max_len} items of dtype "
                            + " or ".join(items))

    def __call__(self, value, where):
        data = _tagged(value, "__ndarray__", where, self)
        _exact_keys(value, ("__ndarray__", "dtype", "shape"), where)
        dtype, shape = value["dtype"], value["shape"]
        if type(dtype) is not str or dtype not in self.items:
            raise _Invalid(f"{where}.dtype", f"expected {' or '.join(self.items)}, "
                                             f"got {_show(dtype)}")
        if type(data) is not list or len(data) > self.max_len:
            self.fail(value, where)
        if shape != [len(data)] or type(shape[0]) is not int:
            raise _Invalid(f"{where}.shape", f"expected [{len(data)}], got {_show(shape)}")
        item = self.items[dtype]
        if not item.accepts_all(data):  # the fast check failed: find the item, say why
            data = [item(v, f"{where}[{i}]") for i, v in enumerate(data)]
        if dtype == "O":  # np.array would turn a list of equal-length lists into 2-D
            array = np.empty(len(data), dtype=object)
            array[:] = data
            return array
        return np.array(data, dtype=np.dtype(dtype))


class _Record(_Spec):
    """A plain JSON object with known keys: ``{key: (spec, required)}``.

    ``extra`` is ``(pattern, spec)`` for further keys matching ``pattern``.
    """

    def __init__(self, fields, extra=None, description="an object"):
        self.fields, self.extra = fields, extra
        self.description = description

    def __call__(self, value, where):
        if type(value) is not dict:
            self.fail(value, where)
        return self.build(value, where)

    def build(self, value, where):
        out = {}
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            if key in self.fields:
                out[key] = self.fields[key][0](item, inner)
            elif self.extra is not None and type(key) is str and re.fullmatch(self.extra[0], key):
                out[key] = self.extra[1](item, inner)
            else:
                raise _Invalid(where or "header", f"unknown key {_show(key)}")
        for key, (_, required) in self.fields.items():
            if required and key not in value:
                raise _Invalid(where or "header", f"missing key {key!r}")
        return out


class _Estimator(_Record):
    """A tagged sktag encoder, ``{"__estimator__": name, "state": {"__dict__": ...}}``.

    ``fields`` are its attributes; ``check(obj, where)`` checks them together.
    """

    def __init__(self, name, fields, check=None):
        super().__init__(fields, description=f"a {name.rsplit('.', 1)[-1]}")
        self.name, self.check = name, check

    def __call__(self, value, where):
        if type(value) is not dict or value.get("__estimator__") != self.name:
            self.fail(value, where)
        _exact_keys(value, ("__estimator__", "state"), where)
        pairs = _tagged(value["state"], "__dict__", f"{where}.state", self)
        _exact_keys(value["state"], ("__dict__",), f"{where}.state")
        if type(pairs) is not list or any(
                type(p) is not list or len(p) != 2 or type(p[0]) is not str for p in pairs):
            raise _Invalid(where, f"expected a list of [attribute, value] pairs, "
                                  f"got {_show(pairs)}")
        state = dict(pairs)
        if len(state) != len(pairs):
            raise _Invalid(where, "an attribute appears twice")
        attributes = self.build(state, where)
        cls = _encoder_classes()[self.name]
        obj = object.__new__(cls)
        obj.__dict__.update(_constructor_defaults(cls))  # parameters newer than the file
        obj.__dict__.update(attributes)
        if self.check is not None:
            self.check(obj, where)
        return obj


def _constructor_defaults(cls):
    """``name -> default`` of the parameters of an encoder class."""
    return {name: parameter.default for name, parameter
            in inspect.signature(cls.__init__).parameters.items()
            if parameter.default is not inspect.Parameter.empty}


class _KerasOptimizer(_Spec):
    """A Keras optimizer instance in Keras's own serialization, built-in classes only."""

    CLASSES = ("Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl",
               "Lamb", "Lion", "Muon", "Nadam", "RMSprop", "SGD")
    description = "a serialized built-in Keras optimizer"
    _config_value = _Either(_Null(), _Bool(), _Float(), _Str(256))

    def __call__(self, value, where):
        payload = _tagged(value, "__keras_optimizer__", where, self)
        _exact_keys(value, ("__keras_optimizer__",), where)
        serialized = _Record({
            "module": (_Enum("keras.optimizers"), True),
            "class_name": (_Enum(*self.CLASSES), True),
            "config": (_Record({}, extra=(r"\w{1,64}", self._config_value)), True),
            "registered_name": (_Either(_Null(), _Enum(*self.CLASSES)), False),
        })(_plain(payload), where)
        from ._tensorflow import (
            keras,  # only here: the file's optimizer parameter is a Keras instance
        )

        try:
            return keras.optimizers.deserialize(serialized)
        except Exception as exc:  # Keras raises anything from TypeError to ValueError
            raise _Invalid(where, f"Keras cannot rebuild this optimizer "
                                  f"({type(exc).__name__}: {exc})") from None


def _plain(value):
    """A tagged dict of str keys as a plain dict (Keras's config as _to_json wrote it)."""
    if type(value) is dict and set(value) == {"__dict__"} and type(value["__dict__"]) is list:
        pairs = value["__dict__"]
        if all(type(p) is list and len(p) == 2 and type(p[0]) is str for p in pairs) \
                and len({p[0] for p in pairs}) == len(pairs):
            return {key: _plain(item) for key, item in pairs}
    return value


# ----------------------------------------------------------------------
# consistency checks of the encoders
# ----------------------------------------------------------------------
def _check_vocabulary(vocab, where):
    from .vocabulary import PAD, UNK, UNKNOWN_SHAPES

    fitted = ("n_special_", "vocabulary_", "tokens_", "counts_", "unknown_ids_")
    present = [name for name in fitted if name in vars(vocab)]
    if not present:
        return  # a template: parameters only
    if len(present) != len(fitted):
        missing = next(name for name in fitted if name not in vars(vocab))
        raise _Invalid(where, f"missing attribute {missing!r}")
    specials = [PAD, UNK] + (list(UNKNOWN_SHAPES) if vocab.unknown_shapes else [])
    n = len(vocab.tokens_)
    if vocab.n_special_ != len(specials):
        raise _Invalid(f"{where}.n_special_", f"expected {len(specials)} (unknown_shapes="
                                              f"{vocab.unknown_shapes}), got {vocab.n_special_}")
    if n < len(specials) or list(vocab.tokens_[: len(specials)]) != specials:
        raise _Invalid(f"{where}.tokens_", f"expected to start with {specials}")
    if len(vocab.vocabulary_) != n or any(
        vocab.vocabulary_.get(token, -1) != i for i, token in enumerate(vocab.tokens_.tolist())
    ):
        raise _Invalid(f"{where}.vocabulary_", "is not the id of each of tokens_")
    if vocab.lowercase and any(t != t.lower() for t in vocab.tokens_[len(specials):].tolist()):
        raise _Invalid(f"{where}.tokens_", "has an upper-case entry, but lowercase=True")
    for name in ("counts_", "unknown_ids_"):
        if len(getattr(vocab, name)) != n:
            raise _Invalid(f"{where}.{name}", f"has {len(getattr(vocab, name))} items for "
                                              f"{n} tokens")
    if len(vocab.unknown_ids_) and (vocab.unknown_ids_.max() >= vocab.n_special_
                                    or vocab.unknown_ids_[: vocab.n_special_].tolist()
                                    != list(range(vocab.n_special_))):
        raise _Invalid(f"{where}.unknown_ids_", "has ids that are not unknown ids")


def _check_chars(chars, where):
    if "chars_" not in vars(chars):
        return  # a template
    if any(len(ch) != 1 for ch in chars.chars_) \
            or sorted(chars.chars_.values()) != list(range(2, len(chars.chars_) + 2)):
        raise _Invalid(f"{where}.chars_", "is not one id from 2 on for each single character")


def _check_labels(labels, where):
    classes = labels.classes_.tolist()
    if len(classes) < 2 or labels.n_classes_ != len(classes):
        raise _Invalid(f"{where}.n_classes_", f"expected len(classes_) >= 2, got "
                                              f"{labels.n_classes_} for {len(classes)} classes")
    if any(a >= b for a, b in zip(classes, classes[1:])):
        raise _Invalid(f"{where}.classes_", "is not sorted and distinct")
    if labels._index != {label: i for i, label in enumerate(classes)}:
        raise _Invalid(f"{where}._index", "is not the id of each of classes_")


def _check_sentence_encoder(encoder, where):
    if (encoder.char_vocabulary is None) != (encoder.char_vocabulary_ is None):
        raise _Invalid(f"{where}.char_vocabulary_", "does not match char_vocabulary")
    if "vocabulary_" not in vars(encoder.vocabulary_):
        raise _Invalid(f"{where}.vocabulary_", "is not fitted")
    if encoder.char_vocabulary_ is not None and "chars_" not in vars(encoder.char_vocabulary_):
        raise _Invalid(f"{where}.char_vocabulary_", "is not fitted")


# ----------------------------------------------------------------------
# the table
# ----------------------------------------------------------------------
_NONE = _Null()
_BOOL = _Bool()
_COUNT = _Int(0, (1 << 62))
_SEED = _Int(0, (1 << 32) - 1)
_LABEL = _Either(_Str(_MAX_TOKEN_CHARS), _Int(-(1 << 63), (1 << 63) - 1))
_SCALAR = _Either(_Null(), _Bool(), _Float(), _Str(4096))
_PARAM_NAME = r"[A-Za-z_]\w{0,127}"
_ROUTED = r"(optimizer|fit|callbacks)__\w{1,128}"  # TokenTagger's ROUTED_PREFIXES


def _optional(spec):
    return (spec, False)


def _required(spec):
    return (spec, True)


def _vocabulary_fields(fitted):
    want = _required if fitted else _optional
    return {
        "min_freq": _required(_Int(1, 1 << 62)),
        "max_size": _required(_Either(_NONE, _COUNT)),
        "lowercase": _required(_BOOL),
        "unknown_shapes": _required(_BOOL),
        "n_special_": want(_Int(2, 5)),
        "vocabulary_": want(_Dict(_Str(_MAX_TOKEN_CHARS), _Int(0, _MAX_VOCAB), _MAX_VOCAB)),
        "tokens_": want(_Array({"O": _Str(_MAX_TOKEN_CHARS)}, _MAX_VOCAB)),
        "counts_": want(_Array({"<i8": _COUNT}, _MAX_VOCAB)),
        "unknown_ids_": want(_Array({"<i4": _Int(0, 4)}, _MAX_VOCAB)),
    }


def _char_fields(fitted):
    return {
        "max_chars": _required(_Int(_N_AFFIX, 1024)),
        "min_freq": _required(_Int(1, 1 << 62)),
        "chars_": (_Dict(_Str(1, min_chars=1), _Int(2, _MAX_CHARS + 1), _MAX_CHARS), fitted),
    }


_VOCABULARY = "sktag.vocabulary.Vocabulary"
_CHAR_VOCABULARY = "sktag.vocabulary.CharVocabulary"
_VOCABULARY_TEMPLATE = _Estimator(_VOCABULARY, _vocabulary_fields(False), _check_vocabulary)
_CHAR_TEMPLATE = _Estimator(_CHAR_VOCABULARY, _char_fields(False), _check_chars)

def _param_spec(parameter):
    """How a parameter's value is written in JSON; its legal values are then
    the parameter's own constraints (:func:`_check_params`)."""
    if parameter.file == CODE:
        return _NONE  # code is never stored: left_out_params describes it
    special = {
        "optimizer": _Either(_Str(64, r"[A-Za-z_]\w{0,63}"), _KerasOptimizer()),
        "class_weight": _Either(_NONE, _Enum("balanced"), _Dict(_LABEL, _Float(0), _MAX_CLASSES)),
        "vocabulary": _Either(_NONE, _VOCABULARY_TEMPLATE),
        "random_state": _Either(_NONE, _SEED),
    }
    return special.get(parameter.name, _SCALAR)


#: Every parameter a model file may hold, from the table of parameters: those
#: that decide the weights' shapes must be there; the others take
#: TokenTagger's defaults when a file predates them. Routed parameters
#: (``optimizer__beta_1``) are plain values.
_PARAMS = {parameter.name: (_param_spec(parameter), parameter.required_in_files)
           for parameter in PARAMETERS}


def _check_params(params):
    """Every stored parameter satisfies its constraints, as TokenTagger's own check."""
    for name, value in params.items():
        message = refusal(name, value) if name in _PARAMS else None
        if message is not None:
            raise _Invalid(f"params.{name}", message.rstrip("."))


_HEADER_V2 = _Record({
    "format": _required(_Enum(_FORMAT_NAME)),
    "format_version": _required(_Enum(FORMAT_VERSION)),
    "writer": _required(_Record({
        "sktag_version": _required(_Str(64)),
        "numpy_version": _required(_Str(64)),
        "keras_version": _optional(_Str(64)),
        "tensorflow_version": _optional(_Str(64)),
    })),
    "params": _required(_Record(_PARAMS, extra=(_ROUTED, _Either(_SCALAR, _List(_SCALAR, 64))))),
    "left_out_params": _required(_Record({}, extra=(
        _PARAM_NAME, _Either(_Str(1024), _List(_Str(1024), 64))))),
    "fitted": _required(_Record({
        "target_encoder_": _required(_Estimator("sktag.labels.SequenceLabelEncoder", {
            "classes_": _required(_Array({"O": _Str(_MAX_TOKEN_CHARS),
                                          "<i8": _Int(-(1 << 63), (1 << 63) - 1)},
                                         _MAX_CLASSES)),
            "n_classes_": _required(_Int(2, _MAX_CLASSES)),
            "scheme": _optional(_Either(_NONE, _Enum(*ENTITY_SCHEMES))),
            "scheme_": _required(_Either(_NONE, _Enum(*ENTITY_SCHEMES, "iob2"))),
            "_index": _required(_Dict(_LABEL, _Int(0, _MAX_CLASSES), _MAX_CLASSES)),
        }, _check_labels)),
        "feature_encoder_": _required(_Estimator("sktag.features.SentenceEncoder", {
            "vocabulary": _required(_Either(_NONE, _VOCABULARY_TEMPLATE)),
            "char_vocabulary": _required(_Either(_NONE, _CHAR_TEMPLATE)),
            "tokenizer": _required(_NONE),
            "vocabulary_": _required(_Estimator(_VOCABULARY, _vocabulary_fields(True),
                                                _check_vocabulary)),
            "char_vocabulary_": _required(_Either(_NONE, _Estimator(
                _CHAR_VOCABULARY, _char_fields(True), _check_chars))),
        }, _check_sentence_encoder)),
        "history_": _required(_Dict(_Str(128), _List(_Float(finite=False), _MAX_EPOCHS), 64)),
        "_random_state": _required(_Either(_NONE, _SEED)),
    })),
    "optimizer_state": _required(_BOOL),
    "arrays": _required(_List(_Record({
        "key": _required(_Str(200, r"(weights/\w{1,128}|optimizer)/\d{1,5}")),
        "dtype": _required(_Enum(*_DTYPES)),
        "shape": _required(_List(_Int(0, 1 << 40), 4)),
        "offset": _required(_Int(0, 1 << 62)),
    }), _MAX_ARRAYS)),
}, description="an sktag header")


# ----------------------------------------------------------------------
# the header's model: the arrays it needs
# ----------------------------------------------------------------------
def _expected_arrays(params, fitted):
    """Key -> (dtype, shape) of the weights the header's model has, in order,
    and the set of trainable shapes (what optimizer slots may have)."""
    from .onnx_graphs import GraphSpec, expected_weight_shapes

    encoder = fitted["feature_encoder_"]
    chars = encoder.char_vocabulary_
    char = params["char_dim"] > 0
    if char != (chars is not None):
        raise _Invalid("params.char_dim", f"is {params['char_dim']}, but the feature encoder "
                                          f"{'has no' if char else 'has a'} character vocabulary")
    spec = GraphSpec(
        encoder=params["encoder"], n_layers=params["n_layers"], char=char,
        max_chars=chars.max_chars if char else 20, n_affix=_N_AFFIX,
        char_classes=char and params["char_classes"], output=params.get("output", "softmax"),
    )
    shapes = expected_weight_shapes(
        spec, n_vocab=len(encoder.vocabulary_.tokens_),
        n_classes=len(fitted["target_encoder_"].classes_), d_model=params["d_model"],
        n_chars=len(chars.chars_) + 2 if char else 0, char_dim=params["char_dim"],
        hidden_dim=params["hidden_dim"], word_dropout=params["word_dropout"] > 0,
    )
    expected, trainable = {}, set()
    for layer, layer_shapes in shapes.items():
        for i, shape in enumerate(layer_shapes):
            is_target = layer == "word_dropout" and i == 1
            expected[f"weights/{layer}/{i}"] = ("<i4" if is_target else "<f4", tuple(shape))
            if layer not in ("word_dropout", "char_classes"):  # those are not trained
                trainable.add(tuple(shape))
    return expected, trainable


def _previous(key):
    """``weights/<layer>/<i - 1>`` for ``weights/<layer>/<i>``; None for index 0."""
    layer, index = key.rsplit("/", 1)
    return None if index == "0" else f"{layer}/{int(index) - 1}"


def _nbytes(dtype, shape):
    return math.prod(shape) * int(dtype[-1])


def _check_manifest(manifest, expected, trainable, optimizer_state):
    """The manifest is exactly the header's weights (and a bounded optimizer state).

    Returns the byte size ``arrays.bin`` must have.
    """
    seen = {}
    end = 0
    n_optimizer = 0
    for i, entry in enumerate(manifest):
        where = f"arrays[{i}]"
        key, dtype, shape = entry["key"], entry["dtype"], tuple(entry["shape"])
        if key in seen:
            raise _Invalid(where, f"key {key!r} appears twice")
        seen[key] = i
        if key.startswith("optimizer/"):
            if key != f"optimizer/{n_optimizer}":
                raise _Invalid(where, f"expected key 'optimizer/{n_optimizer}', got {key!r}")
            n_optimizer += 1
            if shape and shape not in trainable:
                raise _Invalid(where, f"optimizer array of shape {list(shape)}, which no "
                                      f"trainable weight has")
        elif key not in expected:
            raise _Invalid(where, f"{key!r}: the header's model has no such weight")
        elif _previous(key) is not None and _previous(key) not in seen:
            raise _Invalid(where, f"{key} comes before {_previous(key)}")
        elif (dtype, shape) != expected[key]:
            want_dtype, want_shape = expected[key]
            raise _Invalid(where, f"{key} is {dtype} of shape {list(shape)}; the header's "
                                  f"vocabulary, labels and parameters need {want_dtype} "
                                  f"of shape {list(want_shape)}")
        start = -(-end // _ALIGN) * _ALIGN
        if entry["offset"] != start:
            raise _Invalid(f"{where}.offset", f"expected {start}, got {entry['offset']}")
        end = start + _nbytes(dtype, shape)
    missing = [key for key in expected if key not in seen]
    if missing:
        raise _Invalid("arrays", f"missing {missing[0]!r}, which the header's model has")
    if optimizer_state != bool(n_optimizer):
        raise _Invalid("arrays", f"{n_optimizer} optimizer arrays, but optimizer_state is "
                                 f"{json.dumps(optimizer_state)}")
    weight_bytes = sum(_nbytes(d, s) for d, s in expected.values())
    n_trainable = sum(1 for key, (d, s) in expected.items() if s in trainable)
    if n_optimizer > _OPTIMIZER_SLOTS * n_trainable + _OPTIMIZER_SCALARS \
            or end > (1 + _OPTIMIZER_SLOTS) * weight_bytes + (1 << 16) + _ALIGN * len(manifest):
        raise _Invalid("arrays", "more optimizer state than any optimizer keeps for these "
                                 "weights")
    return end


def _validate(header):
    """The state of a format-2 header (before its arrays), and the layout of
    ``arrays.bin``: ``(state, manifest, size)``. Raises :class:`_Invalid`."""
    checked = _HEADER_V2(header, "")
    params, fitted = checked["params"], checked["fitted"]
    _check_params(params)
    overlap = set(params) & set(checked["left_out_params"])
    if overlap:
        raise _Invalid("left_out_params", f"{sorted(overlap)[0]!r} is also in params")
    try:
        expected, trainable = _expected_arrays(params, fitted)
    except ValueError as exc:  # GraphSpec
        raise _Invalid("params", str(exc)) from None
    size = _check_manifest(checked["arrays"], expected, trainable, checked["optimizer_state"])
    state = {
        "params": params,
        "left_out_params": checked["left_out_params"],
        "fitted": fitted,
        "writer": checked["writer"],
    }
    return state, checked["arrays"], size


def _arrays_of(manifest, buffer):
    """``weights`` and ``optimizer_state`` as views of ``buffer``."""
    weights, optimizer = {}, []
    for entry in manifest:
        dtype, shape = np.dtype(entry["dtype"]), tuple(entry["shape"])
        array = np.frombuffer(buffer, dtype=dtype, count=math.prod(shape),
                              offset=entry["offset"]).reshape(shape)
        key = entry["key"]
        if key.startswith("optimizer/"):
            optimizer.append(array)
        else:
            _, layer, _ = key.split("/")
            weights.setdefault(layer, []).append(array)
    return weights, optimizer


# ----------------------------------------------------------------------
# bounded reading of zip members
# ----------------------------------------------------------------------
class _Damaged(Exception):
    """The archive's bytes are not what its directory says (message: what)."""


def _check_directory(f, size):
    """Bound the central directory before ``zipfile`` parses it.

    Reads the end-of-central-directory record (and its zip64 record when
    there is one, as ``zipfile`` does) and refuses directories of more than
    :data:`_MAX_MEMBERS` members or :data:`_MAX_DIRECTORY_BYTES` bytes.
    """
    tail_size = min(size, 22 + 65535)
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _Damaged("no end of central directory")
    n_members, directory_size = struct.unpack("<HI", tail[at + 10: at + 16])
    locator = at - 20
    if locator >= 0 and tail[locator: locator + 4] == b"PK\x06\x07":
        (record_at,) = struct.unpack("<Q", tail[locator + 8: locator + 16])
        if record_at + 56 > size:
            raise _Damaged("bad zip64 end of central directory")
        f.seek(record_at)
        record = f.read(56)
        if record[:4] != b"PK\x06\x06":
            raise _Damaged("bad zip64 end of central directory")
        n_members, directory_size = struct.unpack("<QQ", record[32:48])
    if n_members > _MAX_MEMBERS or directory_size > _MAX_DIRECTORY_BYTES:
        raise _Damaged(f"a central directory of {n_members} members and {directory_size} "
                       f"bytes, not the two of a model file")


def _member_data(f, size, info):
    """The offset of ``info``'s data in the file, after checking its local header."""
    if info.flag_bits & 0x1:
        raise _Damaged(f"{info.filename} is encrypted")
    if info.header_offset < 0 or info.header_offset + 30 > size:
        raise _Damaged(f"{info.filename} starts past the end of the file")
    f.seek(info.header_offset)
    local = f.read(30)
    if local[:4] != b"PK\x03\x04":
        raise _Damaged(f"bad local header of {info.filename}")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    name = f.read(name_length)
    if name != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
        raise _Damaged(f"the local name of {info.filename} differs from the directory's")
    start = info.header_offset + 30 + name_length + extra_length
    if start + info.compress_size > size:
        raise _Damaged(f"{info.filename} ends past the end of the file")
    return start


def _read_member(f, size, info, limit, ratio=None):
    """The bytes of a stored or deflated member, reading at most ``limit``.

    Inflation stops as soon as the output passes ``limit``, or (with
    ``ratio``) ``ratio`` times the compressed bytes consumed so far beyond
    the first :data:`_RATIO_FREE_BYTES`; the output must then be exactly the
    size and CRC the directory declares. Returns a ``bytearray``.
    """
    start = _member_data(f, size, info)
    if info.file_size > limit:
        raise _Damaged(f"{info.filename} declares {info.file_size} bytes, more than the "
                       f"{limit} it may have")
    f.seek(start)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _Damaged(f"{info.filename} is stored, but its sizes differ")
        out = bytearray(info.file_size)
        view = memoryview(out)
        crc, done = 0, 0
        while done < len(out):
            n = f.readinto(view[done: done + _CHUNK])
            if not n:
                raise _Damaged(f"{info.filename} is truncated")
            crc = zlib.crc32(view[done: done + n], crc)
            done += n
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflate = zlib.decompressobj(-15)
        out, crc, left = bytearray(), 0, info.compress_size
        consumed = 0
        pending = b""

        def allowed():
            if ratio is None:
                return limit
            return min(limit, _RATIO_FREE_BYTES + ratio * consumed)

        while True:
            if not pending and left:
                pending = f.read(min(left, 1 << 16))
                if not pending:
                    raise _Damaged(f"{info.filename} is truncated")
                left -= len(pending)
            # At most one byte past what is allowed: enough to tell that there is more.
            chunk = inflate.decompress(pending, max(1, min(allowed() - len(out) + 1, _CHUNK)))
            consumed += len(pending) - len(inflate.unconsumed_tail)
            pending = inflate.unconsumed_tail
            out += chunk
            if len(out) > allowed():
                raise _Damaged(f"{info.filename} inflates to more than "
                               + (f"{limit} bytes" if len(out) > limit else
                                  f"{ratio} times its compressed size"))
            crc = zlib.crc32(chunk, crc)
            if inflate.eof:
                break
            if not chunk and not pending and not left:
                raise _Damaged(f"{info.filename} is truncated")
    else:
        raise _Damaged(f"{info.filename} uses compression method {info.compress_type}, "
                       f"which sktag does not write")
    if len(out) != info.file_size or crc != info.CRC:
        raise _Damaged(f"{info.filename} does not match its size or CRC")
    return out


def _open_archive(path, f, size, expected_names):
    """The archive's directory: name -> ZipInfo, exactly ``expected_names``
    (the sets of one format), checked before anything is read."""
    _check_directory(f, size)
    try:
        archive = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError,
            OSError, struct.error, ValueError) as exc:
        raise _Damaged(f"zip: {exc}") from None
    infos = archive.infolist()
    members = {info.filename: info for info in infos}
    if len(members) != len(infos):
        raise _Damaged("a member name appears twice")
    if _HEADER not in members:
        raise ModelFileError(
            f"{path} is a zip archive but not an sktag model file (no {_HEADER})."
        )
    for names in expected_names:
        if set(members) == set(names):
            return members
    raise ModelFileError(
        f"{path}: the archive holds {sorted(members)[:_MAX_MEMBERS]}, not the members of an "
        f"sktag model file ({' or '.join(' and '.join(names) for names in expected_names)})."
    )


def header_budget(file_size):
    """``(values, containers)``: the most JSON values, and lists and objects
    among them, that the header of a model file of ``file_size`` bytes may have.

    The budget grows with the bytes the file really has, never with anything
    it declares, so that parsing the header of a file costs at most about
    ``19 MB + 50 bytes per byte of the file`` (see
    :data:`HEADER_FREE_VALUES`), whatever the header holds.
    """
    return (HEADER_FREE_VALUES + file_size,
            HEADER_FREE_CONTAINERS + file_size // 4)


def _count_values(raw):
    """``(values, containers)`` of JSON text, counted from its separators
    before it is parsed (a comma, bracket or brace inside a string counts too,
    so the count is never below the truth)."""
    containers = raw.count(b"[") + raw.count(b"{")
    return containers + raw.count(b",") + 1, containers


def _check_header_budget(path, raw, file_size):
    values, containers = _count_values(raw)
    max_values, max_containers = header_budget(file_size)
    if values > max_values or containers > max_containers:
        raise ModelFileError(
            f"{path}: {_HEADER} has {values} JSON values ({containers} lists and objects); a "
            f"model file of {file_size} bytes may have at most {max_values} ({max_containers}). "
            f"The header describes more than the file's weights can hold: the file is "
            f"corrupted or was not written by sktag."
        )


def _parse_header(path, raw, file_size):
    """``sktag.json``'s bytes as JSON, their cost bounded before parsing.

    The raw bytes are already bounded (:data:`MAX_HEADER_BYTES`,
    :data:`MAX_HEADER_RATIO`); the values they may build are bounded by
    :func:`header_budget`, and nesting by the interpreter's recursion limit
    (deeper JSON is a :class:`ModelFileError`, not a crash).
    """
    _check_header_budget(path, raw, file_size)
    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError too
        raise ModelFileError(f"{path}: {_HEADER} is not valid JSON ({exc}).") from None


def _unique_keys(pairs):
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("a key appears twice in one object")
    return obj


def _check_format(path, header):
    """The file's format version, after checking it is sktag's format at all."""
    if not isinstance(header, dict) or header.get("format") != _FORMAT_NAME:
        raise ModelFileError(f"{path} is not an sktag model file (format is not {_FORMAT_NAME!r}).")
    version = header.get("format_version")
    writer = header.get("writer")
    writer = (writer.get("sktag_version") if isinstance(writer, dict)
              else header.get("sktag_version"))
    writer = writer[:40] if isinstance(writer, str) else "an unknown version"
    if type(version) is not int or version < 1:
        raise ModelFileError(f"{path}: invalid format_version {_show(version)}.")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{path} was written by sktag {writer} in model file format {version}; this "
            f"sktag ({__version__}) reads formats up to {FORMAT_VERSION}. Upgrade sktag to load it."
        )
    return version


def _invalid(path, exc):
    where = f" field {exc.where}" if exc.where else ""
    return ModelFileError(f"{path}: {_HEADER}{where}: {exc.message}.")


# ----------------------------------------------------------------------
# public functions
# ----------------------------------------------------------------------
def read_model_file(path):
    """The state of the tagger in an sktag model file, checked.

    Nothing in the file is unpickled or executed, and format-2 files are
    read without Keras or TensorFlow: JSON and raw bytes, each bounded
    before it is read and validated before anything is built from it.

    Parameters
    ----------
    path : str or path-like
        A model file written by :func:`write_model_file` (``TokenTagger.save``),
        or by sktag 0.1.0 (format 1).

    Returns
    -------
    state : dict
        ``"params"`` (the stored parameters), ``"left_out_params"``
        (name -> description of the parameters that are code, which the
        file does not hold), ``"fitted"`` (``target_encoder_``,
        ``feature_encoder_`` without a tokenizer, ``history_``,
        ``_random_state``), ``"weights"`` (layer name -> list of arrays),
        ``"optimizer_state"`` (list of arrays, or None), ``"writer"``
        (the versions that wrote the file) and ``"format_version"`` (the
        file's format; its state is today's).

    Raises
    ------
    ModelFileError
        The file is missing, not an sktag model file, truncated or
        corrupted, written in a newer format, or inconsistent. The message
        starts with the path and says which.
    """
    path = Path(path)
    check_safe_model_file(path)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            members = _open_archive(path, f, size, [(_HEADER, _ARRAYS), (_HEADER, _KERAS)])
            header = _parse_header(path, _read_member(
                f, size, members[_HEADER], MAX_HEADER_BYTES, ratio=MAX_HEADER_RATIO), size)
            version = _check_format(path, header)
            if version == 1:
                if _KERAS not in members:
                    raise ModelFileError(f"{path}: a format-1 file without {_KERAS}.")
                return _migrate_1_to_2(path, header, f, size, members[_KERAS])
            if _ARRAYS not in members:
                raise ModelFileError(f"{path}: a format-2 file without {_ARRAYS}.")
            try:
                state, manifest, expected_size = _validate(header)
            except _Invalid as exc:
                raise _invalid(path, exc) from None
            info = members[_ARRAYS]
            if info.compress_type != zipfile.ZIP_STORED or info.file_size != expected_size:
                raise ModelFileError(
                    f"{path}: {_ARRAYS} is {info.file_size} bytes"
                    + ("" if info.compress_type == zipfile.ZIP_STORED else ", compressed")
                    + f"; the header's arrays are {expected_size} bytes, stored."
                )
            buffer = _read_member(f, size, info, expected_size)
    except _Damaged as exc:
        raise ModelFileError(f"{path} is truncated or corrupted ({exc}).") from None
    except (OSError, EOFError) as exc:
        raise ModelFileError(f"{path}: cannot read the file ({type(exc).__name__}: {exc}).") \
            from None
    except zlib.error as exc:  # damage inside a compressed member, before its CRC is checked
        raise ModelFileError(f"{path} is truncated or corrupted (inflating: {exc}).") from None
    state["weights"], optimizer = _arrays_of(manifest, buffer)
    state["optimizer_state"] = optimizer if header["optimizer_state"] else None
    state["format_version"] = version
    return state


def write_model_file(path, state):
    """Write a fitted tagger's state to ``path`` as an sktag model file.

    Parameters
    ----------
    path : str or path-like
        Destination; conventionally ends with ``.sktag``. Replaced
        atomically if it exists.
    state : dict
        ``"params"`` (``get_params(deep=False)``), ``"fitted"``
        (``target_encoder_``, ``feature_encoder_``, ``history_``,
        ``_random_state``), ``"weights"`` (layer name -> list of arrays, as
        :func:`sktag.onnx_graphs.keras_weights` gives) and
        ``"optimizer_state"`` (list of arrays, or None).

    Returns
    -------
    path : pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        The state is not one :func:`read_model_file` would accept (the
        message says which field); nothing is written.

    Notes
    -----
    A callable ``tokenizer``, ``callbacks`` and a ``RandomState`` are not
    stored; the file records their descriptions under
    ``left_out_params``. Encoders given as templates (``vocabulary``) are
    stored by their parameters.
    """
    unknown = set(state) - {"params", "fitted", "weights", "optimizer_state"}
    if unknown:
        raise TypeError(f"write_model_file: unknown state keys {sorted(unknown)}")
    params, left_out = _stored_params(state["params"])
    fitted = dict(state["fitted"])
    if getattr(fitted.get("feature_encoder_"), "tokenizer", None) is not None:
        encoder = object.__new__(type(fitted["feature_encoder_"]))
        encoder.__dict__.update(vars(fitted["feature_encoder_"]), tokenizer=None)
        fitted["feature_encoder_"] = encoder
    try:
        fitted = {key: _to_json(value, key) for key, value in fitted.items()}
    except TypeError as exc:
        raise ValueError(f"cannot write a model file: {exc}") from None
    arrays = [(f"weights/{layer}/{i}", a) for layer, layer_arrays in state["weights"].items()
              for i, a in enumerate(layer_arrays)]
    optimizer = state["optimizer_state"]
    arrays += [(f"optimizer/{i}", a) for i, a in enumerate(optimizer or [])]
    manifest, blobs, end = [], [], 0
    for key, array in arrays:
        array = np.asarray(array)
        if array.dtype.byteorder == ">":
            array = array.astype(array.dtype.newbyteorder("<"))
        if array.dtype.str not in _DTYPES:
            raise ValueError(f"cannot write a model file: {key} has dtype {array.dtype}; "
                             f"a model file holds {', '.join(_DTYPES)} only")
        offset = -(-end // _ALIGN) * _ALIGN
        manifest.append({"key": key, "dtype": array.dtype.str, "shape": list(array.shape),
                         "offset": offset})
        blobs.append((offset - end, np.ascontiguousarray(array)))
        end = offset + array.nbytes
    writer = {"sktag_version": __version__, "numpy_version": np.__version__}
    for module in ("keras", "tensorflow"):  # what trained it, when loaded here
        if module in sys.modules and hasattr(sys.modules[module], "__version__"):
            writer[f"{module}_version"] = str(sys.modules[module].__version__)
    header = {
        "format": _FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "writer": writer,
        "params": params,
        "left_out_params": left_out,
        "fitted": fitted,
        "optimizer_state": optimizer is not None,
        "arrays": manifest,
    }
    try:
        _validate(header)
    except _Invalid as exc:
        raise ValueError(f"cannot write a model file that sktag could not read: "
                         f"{_invalid(path, exc)}") from None
    try:
        text = json.dumps(header, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a token: JSON escapes it
        text = json.dumps(header).encode("ascii")
    return _write_atomically(Path(path), text, blobs, end)


def _write_atomically(path, header, blobs, size):
    """Write the archive under a temporary name beside ``path``, check that it
    is a file :func:`read_model_file` would read, and rename it to ``path``.

    The temporary file is created with mode 0666 as the process's umask
    allows, like any file the user creates (the umask is never changed: it
    belongs to the whole process); its short name fits beside any ``path``
    whose own name fits. An error names ``path``, not the temporary file.
    """
    directory = path.parent if str(path.parent) else Path(".")
    try:
        tmp, fd = _create_temporary(directory)
    except OSError as exc:
        raise _save_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as f:
            with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(_HEADER, header)
                info = zipfile.ZipInfo(_ARRAYS, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_STORED
                info.file_size = size
                with archive.open(info, "w", force_zip64=size >= _ZIP64_FROM) as out:
                    for padding, array in blobs:
                        out.write(b"\x00" * padding)
                        out.write(memoryview(array.reshape(-1)).cast("B"))
            f.flush()
            os.fsync(f.fileno())
            file_size = f.tell()
        try:
            _check_header_budget(path, header, file_size)
        except ModelFileError as exc:
            raise ValueError(f"cannot write a model file that sktag could not read: {exc}") \
                from None
        os.replace(tmp, path)
    except OSError as exc:
        raise _save_error(path, exc) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _create_temporary(directory):
    """``(path, descriptor)`` of a new, empty file in ``directory``."""
    for _ in range(100):
        tmp = directory / f".sktag-{secrets.token_hex(6)}.tmp"
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                                | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(directory))


def _save_error(path, exc):
    """``exc`` (an OSError while saving) as the same kind of error, naming ``path``."""
    error = type(exc)(f"cannot save the model to {path}: {exc.strerror or exc}")
    error.errno = exc.errno  # kept for callers; the message stays one plain sentence
    return error


def check_writable(path):
    """Raise unless a model file can be written at ``path``.

    Creates and removes a temporary file where :meth:`TokenTagger.save`
    would, so that a command can fail before it trains rather than after.

    Raises
    ------
    OSError
        The directory is missing or not writable, or ``path`` is a directory;
        the message names ``path``.
    """
    path = Path(path)
    if path.is_dir():
        error = IsADirectoryError(f"cannot save the model to {path}: it is a directory; "
                                  f"name a file in it")
        error.errno = errno.EISDIR
        raise error
    directory = path.parent if str(path.parent) else Path(".")
    try:
        tmp, fd = _create_temporary(directory)
    except OSError as exc:
        raise _save_error(path, exc) from None
    os.close(fd)
    os.unlink(tmp)


# ----------------------------------------------------------------------
# format 1: sktag.json and a Keras model.keras
# ----------------------------------------------------------------------
_V1_KEYS = ("format", "format_version", "sktag_version", "keras_version",
            "tensorflow_version", "params", "left_out_params", "fitted", "optimizer_state")


def _migrate_1_to_2(path, header, f, size, info):
    """The state of a format-1 file, in format 2's terms.

    The one step that reads files of sktag 0.1.0 and earlier:

    * the header's versions become ``writer``; parameters the file predates
      take their defaults at load, except ``char_classes``, which is False
      (its character model has none); fitted attributes it predates are
      what their classes assume without them (``scheme_=None``, the
      ``unknown_ids_`` of each entry's own spelling);
    * the result is validated like a format-2 header, which bounds the
      weights; ``model.keras`` is then read (at most a few times those
      weights' bytes), its inner zip and HDF5 weights are checked (members,
      sizes, no compression filters or links out of the file), and Keras
      loads it with ``safe_mode=True`` and only sktag's layers;
    * the model's weights (and optimizer state, when stored) become the
      arrays of format 2, checked against the header like a format-2 manifest.
    """
    if set(header) - set(_V1_KEYS):
        raise ModelFileError(f"{path}: {_HEADER}: unknown key "
                             f"{sorted(set(header) - set(_V1_KEYS))[0]!r}.")
    header = dict(header)
    params = header.get("params")
    if isinstance(params, dict):
        params = dict(params)
        params.setdefault("char_classes", False)  # written before character classes
    fitted = header.get("fitted")
    if isinstance(fitted, dict):
        fitted = dict(fitted)
        _add_attribute(fitted.get("target_encoder_"), "scheme_", None)
        vocabulary = _attribute(fitted.get("feature_encoder_"), "vocabulary_")
        _add_attribute(vocabulary, "unknown_ids_", _own_unknown_ids(vocabulary))
    writer = {"sktag_version": header.get("sktag_version", "before 0.1.0"),
              "numpy_version": "unknown"}
    for key in ("keras_version", "tensorflow_version"):
        if key in header:
            writer[key] = header[key]
    optimizer_state = header.get("optimizer_state", False)
    v2 = {"format": _FORMAT_NAME, "format_version": FORMAT_VERSION, "writer": writer,
          "params": params, "left_out_params": header.get("left_out_params", {}),
          "fitted": fitted, "optimizer_state": False, "arrays": []}
    try:
        checked = _HEADER_V2(v2, "")
        if type(optimizer_state) is not bool:
            raise _Invalid("optimizer_state", f"expected true or false, got "
                                              f"{_show(optimizer_state)}")
        expected, trainable = _expected_arrays(checked["params"], checked["fitted"])
    except _Invalid as exc:
        raise _invalid(path, exc) from None
    except ValueError as exc:  # GraphSpec
        raise ModelFileError(f"{path}: {_HEADER} field params: {exc}.") from None
    weight_bytes = sum(_nbytes(d, s) for d, s in expected.values())
    limit = (1 + _OPTIMIZER_SLOTS) * weight_bytes + (8 << 20)
    try:
        keras_bytes = _read_member(f, size, info, limit)
    except _Damaged as exc:
        raise ModelFileError(f"{path} is truncated or corrupted ({exc}).") from None
    except zlib.error as exc:
        raise ModelFileError(f"{path} is truncated or corrupted (inflating: {exc}).") from None
    weights, optimizer = _load_keras_v1(path, keras_bytes, limit, optimizer_state, writer)
    arrays = [(f"weights/{layer}/{i}", np.asarray(a)) for layer, layer_arrays in weights.items()
              for i, a in enumerate(layer_arrays)]
    arrays += [(f"optimizer/{i}", np.asarray(a)) for i, a in enumerate(optimizer or [])]
    manifest, end = [], 0
    for key, array in arrays:
        offset = -(-end // _ALIGN) * _ALIGN
        manifest.append({"key": key, "dtype": array.dtype.str, "shape": list(array.shape),
                         "offset": offset})
        end = offset + array.nbytes
    try:
        for i, entry in enumerate(manifest):
            if entry["dtype"] not in _DTYPES:
                raise _Invalid(f"{_KERAS} weight {entry['key']}",
                               f"dtype {entry['dtype']}, not one of {', '.join(_DTYPES)}")
        _check_manifest(manifest, expected, trainable, optimizer is not None)
    except _Invalid as exc:
        raise ModelFileError(f"{path}: the Keras model does not match the stored vocabulary, "
                             f"labels and parameters ({exc.where}: {exc.message}).") from None
    return {
        "params": checked["params"],
        "left_out_params": checked["left_out_params"],
        "fitted": checked["fitted"],
        "writer": checked["writer"],
        "weights": weights,
        "optimizer_state": optimizer,
        "format_version": 1,
    }


def _attribute(tagged, name):
    """The JSON of attribute ``name`` of a tagged encoder, or None."""
    pairs = _attribute_pairs(tagged)
    for pair in pairs or ():
        if pair[0] == name:
            return pair[1]
    return None


def _attribute_pairs(tagged):
    if isinstance(tagged, dict) and isinstance(tagged.get("state"), dict) \
            and isinstance(tagged["state"].get("__dict__"), list):
        pairs = tagged["state"]["__dict__"]
        if all(isinstance(p, list) and len(p) == 2 for p in pairs):
            return pairs
    return None


def _add_attribute(tagged, name, value):
    pairs = _attribute_pairs(tagged)
    if pairs is not None and value is not ... and not any(p[0] == name for p in pairs):
        pairs.append([name, value])


def _own_unknown_ids(vocabulary):
    """``unknown_ids_`` of a vocabulary fitted before it existed: the unknown
    id of each entry's own spelling (what ``Vocabulary.unknown_ids`` assumes)."""
    from .vocabulary import UNK_ID, token_shape

    tokens = _attribute(vocabulary, "tokens_")
    tokens = tokens.get("__ndarray__") if isinstance(tokens, dict) else None
    n_special = _attribute(vocabulary, "n_special_")
    shapes = _attribute(vocabulary, "unknown_shapes")
    if not (isinstance(tokens, list) and all(type(t) is str for t in tokens)
            and type(n_special) is int and 0 <= n_special <= len(tokens)
            and type(shapes) is bool):
        return ...  # not a vocabulary: the schema says what is wrong
    ids = list(range(n_special)) + [
        (token_shape(t) if shapes else UNK_ID) for t in tokens[n_special:]]
    return {"__ndarray__": ids, "dtype": "<i4", "shape": [len(ids)]}


def _load_keras_v1(path, data, limit, optimizer_state, writer):
    """Weights and optimizer state of a format-1 ``model.keras`` (bytes, bounded)."""
    _check_keras_archive(path, data, limit)
    from ._tensorflow import keras
    from .models import CUSTOM_OBJECTS
    from .onnx_graphs import keras_weights

    with tempfile.TemporaryDirectory() as scratch:
        weights_path = os.path.join(scratch, _KERAS)
        with open(weights_path, "wb") as out:
            out.write(data)
        try:
            model = keras.saving.load_model(
                weights_path, custom_objects=CUSTOM_OBJECTS,
                compile=optimizer_state,  # restores Adam's slots too
                safe_mode=True,
            )
            weights = keras_weights(model)
            optimizer = None
            if optimizer_state and model.compiled and model.optimizer.built:
                optimizer = [np.array(v.numpy()) for v in model.optimizer.variables]
        except Exception as exc:  # Keras raises anything from OSError to ValueError
            raise ModelFileError(
                f"{path}: cannot load the Keras model written by sktag "
                f"{writer['sktag_version']} with Keras {writer.get('keras_version', '?')} "
                f"({type(exc).__name__}: {str(exc)[:300]})."
            ) from None
    return weights, optimizer


def _check_keras_archive(path, data, limit):
    """Bound what Keras will read of a format-1 ``model.keras``.

    Its members are the three Keras writes, with declared sizes within
    bounds (``zipfile`` never returns more than a member declares); its
    HDF5 weights hold at most ``limit`` bytes of arrays, in the file
    itself: no compression filters, external storage, virtual datasets or
    links out of the file.
    """
    def bad(why):
        return ModelFileError(f"{path}: {_KERAS} is not a Keras model file sktag wrote ({why}).")

    try:
        inner = io.BytesIO(bytes(data))
        _check_directory(inner, len(data))
        with zipfile.ZipFile(inner) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if set(infos) - {"config.json", "metadata.json", "model.weights.h5"} \
                    or "config.json" not in infos or "model.weights.h5" not in infos:
                raise bad(f"members {sorted(infos)[:5]}")
            for name, info in infos.items():
                cap = limit if name.endswith(".h5") else _MAX_KERAS_JSON_BYTES
                if info.file_size > cap or info.compress_type not in (
                        zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
                    raise bad(f"{name} of {info.file_size} bytes, compression "
                              f"{info.compress_type}")
            weights = archive.read("model.weights.h5")
    except ModelFileError:
        raise
    except (_Damaged, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError,
            NotImplementedError, struct.error, ValueError, zlib.error) as exc:
        raise bad(f"{type(exc).__name__}: {exc}") from None
    import h5py

    try:
        with h5py.File(io.BytesIO(weights), "r") as h5:
            total = _check_h5_group(h5, bad, [0, 0])
    except ModelFileError:
        raise
    except Exception as exc:  # h5py raises OSError, KeyError, ValueError, RuntimeError...
        raise bad(f"HDF5: {type(exc).__name__}: {exc}") from None
    if total > limit:
        raise bad(f"its weights hold {total} bytes, more than the header's model needs")


def _check_h5_group(group, bad, counts):
    import h5py

    for name in group:
        link = group.get(name, getlink=True)
        if not isinstance(link, h5py.HardLink):
            raise bad(f"a {type(link).__name__} at {group.name}/{name}")
        counts[0] += 1
        if counts[0] > 10_000:
            raise bad("too many HDF5 objects")
        item = group[name]
        if isinstance(item, h5py.Group):
            _check_h5_group(item, bad, counts)
        elif isinstance(item, h5py.Dataset):
            plist = item.id.get_create_plist()
            if plist.get_nfilters() or plist.get_external_count() or item.is_virtual:
                raise bad(f"dataset {item.name} is compressed or stored outside the file")
            if item.dtype.kind not in "biuf" or item.dtype.itemsize > 8 or len(item.shape) > 8:
                raise bad(f"dataset {item.name} of dtype {item.dtype}")
            counts[1] += math.prod(item.shape) * item.dtype.itemsize
        else:
            raise bad(f"an HDF5 {type(item).__name__} at {item.name}")
    return counts[1]
