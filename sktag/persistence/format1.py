"""Format 1 (sktag 0.1.0): ``sktag.json`` and a Keras ``model.keras``, migrated to format 2.

The one step that reads files of sktag 0.1.0 and earlier (:func:`migrate_1_to_2`):

* the header's versions become ``writer``; parameters the file predates
  take their defaults at load, except ``char_classes``, which is False
  (its character model has none); fitted attributes it predates are what
  their classes assume without them (``scheme_=None``, the
  ``unknown_ids_`` of each entry's own spelling);
* the result is validated like a format-2 header, which bounds the
  weights; ``model.keras`` is then read (at most a few times those
  weights' bytes), its inner zip and HDF5 weights are checked
  (:func:`check_keras_archive`: members, sizes, no compression filters or
  links out of the file), and Keras loads it with ``safe_mode=True`` and
  only sktag's layers (:func:`sktag.persistence.keras_objects.load_format1_model`,
  the only place that imports Keras);
* the model's weights (and optimizer state, when stored) become the
  arrays of format 2, checked against the header like a format-2 manifest.
"""

import io
import math
import struct
import zipfile
import zlib

from .arrays import OPTIMIZER_SLOTS, check_manifest, expected_arrays, layout, nbytes
from .keras_objects import load_format1_model
from .schema import (
    ARRAY_DTYPES,
    FORMAT_NAME,
    FORMAT_VERSION,
    HEADER,
    HEADER_V2,
    header_error,
)
from .sniffing import ModelFileError
from .specs import Invalid, show
from .ziparchive import Damaged, check_directory, read_member

__all__ = ["KERAS", "check_keras_archive", "migrate_1_to_2"]

#: The Keras model's member in a format-1 file.
KERAS = "model.keras"
_V1_KEYS = ("format", "format_version", "sktag_version", "keras_version",
            "tensorflow_version", "params", "left_out_params", "fitted", "optimizer_state")
#: Bound of the JSON members of a format-1 ``model.keras``.
_MAX_KERAS_JSON_BYTES = 4 << 20


def migrate_1_to_2(path, header, f, size, info):
    """The state of a format-1 file, in format 2's terms.

    Parameters
    ----------
    path : path-like
        The file, for messages.
    header : object
        Its ``sktag.json``, parsed (not yet checked).
    f : binary file
        The file, ``size`` bytes, whose member :data:`KERAS` is ``info``.
    size : int
    info : zipfile.ZipInfo

    Returns
    -------
    state : dict
        As :func:`sktag.persistence.read_model_file` returns it, with
        ``format_version`` 1.

    Raises
    ------
    ModelFileError
    """
    if set(header) - set(_V1_KEYS):
        raise ModelFileError(f"{path}: {HEADER}: unknown key "
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
    v2 = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "writer": writer,
          "params": params, "left_out_params": header.get("left_out_params", {}),
          "fitted": fitted, "optimizer_state": False, "arrays": []}
    try:
        checked = HEADER_V2(v2, "")
        if type(optimizer_state) is not bool:
            raise Invalid("optimizer_state", f"expected true or false, got "
                                             f"{show(optimizer_state)}")
        expected, trainable = expected_arrays(checked["params"], checked["fitted"])
    except Invalid as exc:
        raise header_error(path, exc) from None
    except ValueError as exc:  # GraphSpec
        raise ModelFileError(f"{path}: {HEADER} field params: {exc}.") from None
    weight_bytes = sum(nbytes(d, s) for d, s in expected.values())
    limit = (1 + OPTIMIZER_SLOTS) * weight_bytes + (8 << 20)
    try:
        keras_bytes = read_member(f, size, info, limit)
    except Damaged as exc:
        raise ModelFileError(f"{path} is truncated or corrupted ({exc}).") from None
    except zlib.error as exc:
        raise ModelFileError(f"{path} is truncated or corrupted (inflating: {exc}).") from None
    check_keras_archive(path, keras_bytes, limit)
    weights, optimizer = load_format1_model(path, keras_bytes, optimizer_state, writer)
    manifest, _, _ = layout(weights, optimizer)
    try:
        for entry in manifest:
            if entry["dtype"] not in ARRAY_DTYPES:
                raise Invalid(f"{KERAS} weight {entry['key']}",
                              f"dtype {entry['dtype']}, not one of {', '.join(ARRAY_DTYPES)}")
        check_manifest(manifest, expected, trainable, optimizer is not None)
    except Invalid as exc:
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


# ----------------------------------------------------------------------
# attributes format 1 predates, added to its JSON before it is checked
# ----------------------------------------------------------------------
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
    from ..vocabulary import UNK_ID, token_shape

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


# ----------------------------------------------------------------------
# model.keras, bounded before Keras reads it
# ----------------------------------------------------------------------
def check_keras_archive(path, data, limit):
    """Bound what Keras will read of a format-1 ``model.keras``.

    Its members are the three Keras writes, with declared sizes within
    bounds (``zipfile`` never returns more than a member declares); its
    HDF5 weights hold at most ``limit`` bytes of arrays, in the file
    itself: no compression filters, external storage, virtual datasets or
    links out of the file.

    Raises
    ------
    ModelFileError
    """
    def bad(why):
        return ModelFileError(f"{path}: {KERAS} is not a Keras model file sktag wrote ({why}).")

    try:
        inner = io.BytesIO(bytes(data))
        check_directory(inner, len(data))
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
    except (Damaged, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError,
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
