"""The kinds of value a model file's header may hold, each a small checker.

A spec is called as ``spec(value, where)`` on a parsed JSON value: it
returns the value built (a tagged dict as a ``dict``, a tagged array as an
``ndarray``) or raises :class:`Invalid` naming the field. The header's
schema (:mod:`sktag.persistence.schema`) is a table of them; a value is
checked before anything is built from it, and messages never repeat a huge
value (:func:`show`).

Tagged JSON is how a header writes what plain JSON cannot:
``{"__dict__": [[key, value], ...]}`` for a dict (keys of any type),
``{"__tuple__": [...]}``, ``{"__ndarray__": [...], "dtype": ..., "shape": [n]}``
for an array, and ``{"__estimator__": name, "state": ...}`` for an sktag
encoder (:mod:`sktag.persistence.encoders`).
"""

import json
import math
import re

import numpy as np

__all__ = ["Array", "Bool", "Dict", "Either", "Enum", "Float", "Int", "Invalid", "List",
           "Null", "Record", "Spec", "Str", "exact_keys", "optional", "plain", "required",
           "show", "tagged"]


class Invalid(Exception):
    """A value that does not fit the schema, at ``where``."""

    def __init__(self, where, message):
        super().__init__(where, message)
        self.where, self.message = where, message


def show(value):
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


class Spec:
    """One kind of value: ``spec(value, where)`` checks it and returns it built."""

    description = "?"

    def __call__(self, value, where):
        raise NotImplementedError

    def fail(self, value, where):
        raise Invalid(where, f"expected {self.description}, got {show(value)}")

    def accepts_all(self, values):
        """Whether every one of ``values`` fits, as they are (a fast path for arrays)."""
        return False


def required(spec):
    """A field of a :class:`Record` that must be there."""
    return (spec, True)


def optional(spec):
    """A field of a :class:`Record` that may be left out."""
    return (spec, False)


class Null(Spec):
    description = "null"

    def __call__(self, value, where):
        if value is not None:
            self.fail(value, where)


class Bool(Spec):
    description = "true or false"

    def __call__(self, value, where):
        if type(value) is not bool:
            self.fail(value, where)
        return value


class Int(Spec):
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


class Float(Spec):
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


class Str(Spec):
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


class Enum(Spec):
    def __init__(self, *values):
        self.values = values
        self.description = "one of " + ", ".join(json.dumps(v) for v in values)

    def __call__(self, value, where):
        if not any(type(v) is type(value) and v == value for v in self.values):
            self.fail(value, where)
        return value


class Either(Spec):
    def __init__(self, *specs):
        self.specs = specs
        self.description = " or ".join(spec.description for spec in specs)

    def __call__(self, value, where):
        deepest = None
        for spec in self.specs:
            try:
                return spec(value, where)
            except Invalid as exc:
                if exc.where != where and deepest is None:
                    deepest = exc  # the value has the right kind but a wrong part
        if deepest is not None:
            raise deepest
        self.fail(value, where)


class List(Spec):
    """A JSON list."""

    def __init__(self, item, max_len, min_len=0):
        self.item, self.max_len, self.min_len = item, max_len, min_len
        self.description = f"a list of {min_len} to {max_len} items ({item.description})"

    def __call__(self, value, where):
        if type(value) is not list or not self.min_len <= len(value) <= self.max_len:
            self.fail(value, where)
        return [self.item(v, f"{where}[{i}]") for i, v in enumerate(value)]


def tagged(value, tag, where, spec):
    """The payload of a one-key tagged JSON object ``{tag: payload, ...}``."""
    if type(value) is not dict or tag not in value:
        spec.fail(value, where)
    return value[tag]


def exact_keys(value, keys, where):
    """Raise unless the JSON object ``value`` has exactly ``keys``."""
    extra = set(value) - set(keys)
    if extra:
        raise Invalid(where, f"unknown key {sorted(extra)[0]!r}")
    missing = [key for key in keys if key not in value]
    if missing:
        raise Invalid(where, f"missing key {missing[0]!r}")


def plain(value):
    """A tagged dict of str keys as a plain dict (Keras's config as it was written)."""
    if type(value) is dict and set(value) == {"__dict__"} and type(value["__dict__"]) is list:
        pairs = value["__dict__"]
        if all(type(p) is list and len(p) == 2 and type(p[0]) is str for p in pairs) \
                and len({p[0] for p in pairs}) == len(pairs):
            return {key: plain(item) for key, item in pairs}
    return value


class Dict(Spec):
    """A tagged dict, ``{"__dict__": [[key, value], ...]}``."""

    def __init__(self, key, value, max_len):
        self.key, self.value, self.max_len = key, value, max_len
        self.description = f"a dict of at most {max_len} entries"

    def __call__(self, value, where):
        pairs = tagged(value, "__dict__", where, self)
        exact_keys(value, ("__dict__",), where)
        if type(pairs) is not list or len(pairs) > self.max_len:
            self.fail(value, where)
        out = {}
        for i, pair in enumerate(pairs):
            if type(pair) is not list or len(pair) != 2:
                raise Invalid(f"{where}[{i}]", f"expected a [key, value] pair, got {show(pair)}")
            key = self.key(pair[0], f"{where} key {i}")
            if key in out:
                raise Invalid(where, f"key {show(key)} appears twice")
            out[key] = self.value(pair[1], f"{where}[{show(key)}]")
        return out


class Array(Spec):
    """A tagged 1-D array, ``{"__ndarray__": [...], "dtype": ..., "shape": [n]}``."""

    def __init__(self, items, max_len):
        self.items, self.max_len = items, max_len  # dtype -> spec of its items
        self.description = (f"an array of at most {max_len} items of dtype "
                            + " or ".join(items))

    def __call__(self, value, where):
        data = tagged(value, "__ndarray__", where, self)
        exact_keys(value, ("__ndarray__", "dtype", "shape"), where)
        dtype, shape = value["dtype"], value["shape"]
        if type(dtype) is not str or dtype not in self.items:
            raise Invalid(f"{where}.dtype", f"expected {' or '.join(self.items)}, "
                                            f"got {show(dtype)}")
        if type(data) is not list or len(data) > self.max_len:
            self.fail(value, where)
        if shape != [len(data)] or type(shape[0]) is not int:
            raise Invalid(f"{where}.shape", f"expected [{len(data)}], got {show(shape)}")
        item = self.items[dtype]
        if not item.accepts_all(data):  # the fast check failed: find the item, say why
            data = [item(v, f"{where}[{i}]") for i, v in enumerate(data)]
        if dtype == "O":  # np.array would turn a list of equal-length lists into 2-D
            array = np.empty(len(data), dtype=object)
            array[:] = data
            return array
        return np.array(data, dtype=np.dtype(dtype))


class Record(Spec):
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
        """The fields of the dict ``value``, each built by its spec."""
        out = {}
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            if key in self.fields:
                out[key] = self.fields[key][0](item, inner)
            elif self.extra is not None and type(key) is str and re.fullmatch(self.extra[0], key):
                out[key] = self.extra[1](item, inner)
            else:
                raise Invalid(where or "header", f"unknown key {show(key)}")
        for key, (_, needed) in self.fields.items():
            if needed and key not in value:
                raise Invalid(where or "header", f"missing key {key!r}")
        return out
