"""Format 2: read and write a model file of a JSON header and raw arrays.

:func:`read_model_file` reads every byte as hostile: each member with a
bound fixed before reading starts (:mod:`sktag.persistence.ziparchive`),
the header's JSON values counted against :func:`header_budget` before it is
parsed, the header checked against its schema
(:data:`sktag.persistence.schema.HEADER_V2`) and its manifest against the
model it describes (:mod:`sktag.persistence.arrays`) before ``arrays.bin``
is read. A format-1 file is handed to :mod:`sktag.persistence.format1`.
:func:`write_model_file` validates what it writes in the same way and
writes atomically (:mod:`sktag.persistence.atomic`).
"""

import json
import os
import sys
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .._version import __version__
from ..architecture import check_id_weights
from .arrays import arrays_of, check_manifest, expected_arrays, layout
from .atomic import write_atomically
from .encoders import to_json
from .format1 import KERAS, migrate_1_to_2
from .schema import (
    ARRAY_DTYPES,
    FORMAT_NAME,
    FORMAT_VERSION,
    HEADER,
    HEADER_V2,
    check_params,
    header_error,
    stored_params,
)
from .sniffing import ModelFileError, check_safe_model_file
from .specs import Invalid, show
from .ziparchive import Damaged, open_archive, read_member

__all__ = ["ARRAYS", "HEADER_FREE_CONTAINERS", "HEADER_FREE_VALUES", "MAX_HEADER_BYTES",
           "MAX_HEADER_RATIO", "ZIP64_FROM", "header_budget", "read_model_file",
           "write_model_file"]

#: The arrays' member.
ARRAYS = "arrays.bin"
#: The most bytes ``sktag.json`` may inflate to: a vocabulary of about seven
#: million words (35-40 bytes of JSON each).
MAX_HEADER_BYTES = 256 << 20
#: The most ``sktag.json`` may inflate per compressed byte (beyond its first
#: MiB). sktag's headers inflate 2-5 times; a deflate bomb of zeros 1000 times.
MAX_HEADER_RATIO = 50
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
#: ``arrays.bin`` this big is written with zip64 sizes.
ZIP64_FROM = 1 << 31


# ----------------------------------------------------------------------
# the header's cost, bounded before it is parsed
# ----------------------------------------------------------------------
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
            f"{path}: {HEADER} has {values} JSON values ({containers} lists and objects); a "
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
        raise ModelFileError(f"{path}: {HEADER} is not valid JSON ({exc}).") from None


def _unique_keys(pairs):
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("a key appears twice in one object")
    return obj


def _check_format(path, header):
    """The file's format version, after checking it is sktag's format at all."""
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise ModelFileError(f"{path} is not an sktag model file (format is not {FORMAT_NAME!r}).")
    version = header.get("format_version")
    writer = header.get("writer")
    writer = (writer.get("sktag_version") if isinstance(writer, dict)
              else header.get("sktag_version"))
    writer = writer[:40] if isinstance(writer, str) else "an unknown version"
    if type(version) is not int or version < 1:
        raise ModelFileError(f"{path}: invalid format_version {show(version)}.")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{path} was written by sktag {writer} in model file format {version}; this "
            f"sktag ({__version__}) reads formats up to {FORMAT_VERSION}. Upgrade sktag to load it."
        )
    return version


def _validate(header):
    """The state of a format-2 header (before its arrays), and the layout of
    ``arrays.bin``: ``(state, manifest, size)``. Raises :class:`Invalid`."""
    checked = HEADER_V2(header, "")
    params, fitted = checked["params"], checked["fitted"]
    check_params(params)
    overlap = set(params) & set(checked["left_out_params"])
    if overlap:
        raise Invalid("left_out_params", f"{sorted(overlap)[0]!r} is also in params")
    try:
        expected, trainable = expected_arrays(params, fitted)
    except ValueError as exc:  # GraphSpec
        raise Invalid("params", str(exc)) from None
    size = check_manifest(checked["arrays"], expected, trainable, checked["optimizer_state"])
    state = {
        "params": params,
        "left_out_params": checked["left_out_params"],
        "fitted": fitted,
        "writer": checked["writer"],
    }
    return state, checked["arrays"], size


# ----------------------------------------------------------------------
# reading
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
            members = open_archive(path, f, size, [(HEADER, ARRAYS), (HEADER, KERAS)])
            header = _parse_header(path, read_member(
                f, size, members[HEADER], MAX_HEADER_BYTES, ratio=MAX_HEADER_RATIO), size)
            version = _check_format(path, header)
            if version == 1:
                if KERAS not in members:
                    raise ModelFileError(f"{path}: a format-1 file without {KERAS}.")
                return migrate_1_to_2(path, header, f, size, members[KERAS])
            if ARRAYS not in members:
                raise ModelFileError(f"{path}: a format-2 file without {ARRAYS}.")
            try:
                state, manifest, expected_size = _validate(header)
            except Invalid as exc:
                raise header_error(path, exc) from None
            info = members[ARRAYS]
            if info.compress_type != zipfile.ZIP_STORED or info.file_size != expected_size:
                raise ModelFileError(
                    f"{path}: {ARRAYS} is {info.file_size} bytes"
                    + ("" if info.compress_type == zipfile.ZIP_STORED else ", compressed")
                    + f"; the header's arrays are {expected_size} bytes, stored."
                )
            buffer = read_member(f, size, info, expected_size)
    except Damaged as exc:
        raise ModelFileError(f"{path} is truncated or corrupted ({exc}).") from None
    except (OSError, EOFError) as exc:
        raise ModelFileError(f"{path}: cannot read the file ({type(exc).__name__}: {exc}).") \
            from None
    except zlib.error as exc:  # damage inside a compressed member, before its CRC is checked
        raise ModelFileError(f"{path} is truncated or corrupted (inflating: {exc}).") from None
    state["weights"], optimizer = arrays_of(manifest, buffer)
    try:
        check_id_weights(state["weights"])
    except ValueError as exc:
        raise ModelFileError(f"{path}: {exc}") from None
    state["optimizer_state"] = optimizer if header["optimizer_state"] else None
    state["format_version"] = version
    return state


# ----------------------------------------------------------------------
# writing
# ----------------------------------------------------------------------
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
        :func:`sktag.keras_reading.keras_weights` gives) and
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
    stored by their parameters, fitted encoders by their ``to_state()``
    (a feature encoder's tokenizer is code: never stored).
    """
    unknown = set(state) - {"params", "fitted", "weights", "optimizer_state"}
    if unknown:
        raise TypeError(f"write_model_file: unknown state keys {sorted(unknown)}")
    params, left_out = stored_params(state["params"])
    try:
        fitted = {key: to_json(value, key) for key, value in state["fitted"].items()}
    except TypeError as exc:
        raise ValueError(f"cannot write a model file: {exc}") from None
    optimizer = state["optimizer_state"]
    manifest, arrays, size = layout(state["weights"], optimizer, _little_endian)
    writer = {"sktag_version": __version__, "numpy_version": np.__version__}
    for module in ("keras", "tensorflow"):  # what trained it, when loaded here
        if module in sys.modules and hasattr(sys.modules[module], "__version__"):
            writer[f"{module}_version"] = str(sys.modules[module].__version__)
    header = {
        "format": FORMAT_NAME,
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
    except Invalid as exc:
        raise ValueError(f"cannot write a model file that sktag could not read: "
                         f"{header_error(path, exc)}") from None
    try:
        text = json.dumps(header, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a token: JSON escapes it
        text = json.dumps(header).encode("ascii")

    def write(f):
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(HEADER, text)
            info = zipfile.ZipInfo(ARRAYS, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = size
            with archive.open(info, "w", force_zip64=size >= ZIP64_FROM) as out:
                end = 0
                for entry, array in zip(manifest, arrays, strict=True):
                    out.write(b"\x00" * (entry["offset"] - end))
                    out.write(memoryview(np.ascontiguousarray(array).reshape(-1)).cast("B"))
                    end = entry["offset"] + array.nbytes
        try:
            _check_header_budget(path, text, f.tell())
        except ModelFileError as exc:
            raise ValueError(f"cannot write a model file that sktag could not read: {exc}") \
                from None

    return write_atomically(Path(path), write)


def _little_endian(key, array):
    """``array`` as a model file holds it: little-endian, of a dtype it may have."""
    array = np.asarray(array)
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    if array.dtype.str not in ARRAY_DTYPES:
        raise ValueError(f"cannot write a model file: {key} has dtype {array.dtype}; "
                         f"a model file holds {', '.join(ARRAY_DTYPES)} only")
    return array
