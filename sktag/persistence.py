"""Safe model files: save and load a TokenTagger without pickle.

A pickle (and so a joblib file) runs code when it is loaded, so a model file
from somebody else is a program from somebody else. :func:`save` writes a
tagger as one zip archive that holds no pickle:

``sktag.json``
    The format name and version, the sktag, Keras and TensorFlow versions
    that wrote the file, the tagger's parameters, its fitted vocabularies,
    labels and ``history_``, in a tagged JSON that only rebuilds numbers,
    strings, lists, dicts, numpy arrays and sktag's own encoder classes.
``model.keras``
    The Keras model in Keras's own format, loaded with ``safe_mode=True``
    (no lambda or arbitrary-code layers) and only sktag's layers as custom
    objects.

:func:`load` checks the archive before it trusts anything in it, and every
problem (not a zip, truncated, not an sktag file, written by a newer format,
weights that do not fit) is a :class:`ModelFileError`, a ``ValueError``.
Writes are atomic: the archive is written next to its destination under a
temporary name and renamed, so an interrupted save never leaves half a model.
"""

import copy
import json
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from . import __version__

__all__ = ["FORMAT_VERSION", "MODEL_SUFFIX", "ModelFileError", "load", "open_model", "save"]

#: Version of the file layout this sktag writes; :func:`load` reads this and older.
FORMAT_VERSION = 1
_FORMAT_NAME = "sktag.TokenTagger"
#: The file name ending of safe model files; such a file is never unpickled.
MODEL_SUFFIX = ".sktag"
_HEADER = "sktag.json"
_WEIGHTS = "model.keras"
_MAX_HEADER_BYTES = 1 << 30  # a vocabulary of millions of words still fits


class ModelFileError(ValueError):
    """A file that :func:`sktag.load` cannot turn into a tagger, and why."""


# ----------------------------------------------------------------------
# tagged JSON: only the types a fitted tagger's encoders hold
# ----------------------------------------------------------------------
def _encoder_classes():
    from .features import SentenceEncoder
    from .labels import SequenceLabelEncoder
    from .vocabulary import CharVocabulary, Vocabulary

    classes = (SentenceEncoder, SequenceLabelEncoder, Vocabulary, CharVocabulary)
    return {f"{cls.__module__}.{cls.__qualname__}": cls for cls in classes}


def _to_json(value, where):
    """``value`` as JSON-ready data; raise TypeError naming ``where`` otherwise."""
    if value is None or isinstance(value, (bool, str)):
        return value
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
        return {"__estimator__": name, "state": _to_json(vars(value), f"{where}.__dict__")}
    raise TypeError(f"{where}: cannot store a {type(value).__name__} safely")


def _from_json(value):
    """Inverse of :func:`_to_json`; builds nothing but plain data and sktag encoders."""
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value:
        return tuple(_from_json(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {_hashable(_from_json(k)): _from_json(v) for k, v in value["__dict__"]}
    if "__ndarray__" in value:
        dtype = object if value["dtype"] == "O" else np.dtype(value["dtype"])
        if dtype is not object and dtype.kind not in "biufU":
            raise ModelFileError(f"array of unsupported dtype {value['dtype']!r}")
        items = [_from_json(v) for v in value["__ndarray__"]]
        if dtype is object:  # np.array would turn a list of equal-length lists into 2-D
            array = np.empty(len(items), dtype=object)
            array[:] = items
        else:
            array = np.array(items, dtype=dtype)
        return array.reshape(value["shape"])
    if "__estimator__" in value:
        classes = _encoder_classes()
        if value["__estimator__"] not in classes:
            raise ModelFileError(f"unknown encoder class {value['__estimator__']!r}")
        obj = object.__new__(classes[value["__estimator__"]])
        obj.__dict__.update(_from_json(value["state"]))
        return obj
    raise ModelFileError(f"unexpected JSON object with keys {sorted(value)[:5]}")


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


# ----------------------------------------------------------------------
# parameters that are not plain data
# ----------------------------------------------------------------------
def _stored_params(tagger):
    """The tagger's parameters as JSON, and the names of those left out.

    Callables (``tokenizer``) and callbacks are code: the file records their
    names only and :func:`load` asks for them again. A ``RandomState``
    instance becomes None; it only seeds future training.
    """
    import keras

    params, left_out = {}, {}
    for name, value in tagger.get_params(deep=False).items():
        if isinstance(value, keras.optimizers.Optimizer):
            # Keras's own serialization: restored by keras.optimizers.deserialize.
            params[name] = {"__keras_optimizer__": keras.optimizers.serialize(value)}
            continue
        if isinstance(value, type) and issubclass(value, keras.optimizers.Optimizer) \
                and value.__module__.startswith("keras."):
            value = value.__name__  # a built-in class, by the name keras.optimizers.get takes
        try:
            params[name] = _to_json(value, name)
        except TypeError:  # code (a tokenizer, callbacks, a custom optimizer), a RandomState
            left_out[name] = _describe(value)
    return params, left_out


def _without_tokenizer(encoder):
    """A shallow copy of the feature encoder without its tokenizer (code, not data)."""
    encoder = copy.copy(encoder)
    encoder.tokenizer = None
    return encoder


def _describe(value):
    """``module.qualname`` of a callable or of an object's class, for messages."""
    if isinstance(value, (list, tuple)):
        return [_describe(v) for v in value]
    target = value if callable(value) and hasattr(value, "__qualname__") else type(value)
    module = getattr(target, "__module__", None) or getattr(
        getattr(target, "__objclass__", None), "__module__", "?"
    )
    return f"{module}.{getattr(target, '__qualname__', repr(target))}"


def _restored_params(params, left_out, overrides):
    import keras

    optimizer = params.get("optimizer")
    params = {name: _from_json(value) for name, value in params.items() if name != "optimizer"}
    if isinstance(optimizer, dict) and "__keras_optimizer__" in optimizer:
        # Keras's own deserializer: built-in optimizer classes only.
        params["optimizer"] = keras.optimizers.deserialize(optimizer["__keras_optimizer__"])
    elif optimizer is not None:
        params["optimizer"] = _from_json(optimizer)
    # Written before char_classes existed: its character model has none.
    params.setdefault("char_classes", False)
    params.update(overrides)
    if "tokenizer" in left_out and "tokenizer" not in overrides:
        raise ModelFileError(
            f"this model was trained with tokenizer={left_out['tokenizer']}, which a safe "
            f"model file cannot hold; pass it again: sktag.load(path, tokenizer=...)"
        )
    return params


# ----------------------------------------------------------------------
# public functions
# ----------------------------------------------------------------------
def save(tagger, path):
    """Write a fitted tagger to ``path`` as a safe sktag model file.

    Parameters
    ----------
    tagger : TokenTagger
        A fitted tagger.
    path : str or path-like
        Destination; conventionally ends with ``.sktag``. Replaced atomically
        if it exists.

    Returns
    -------
    path : pathlib.Path
        The path written.

    See Also
    --------
    load : Read the file back.
    TokenTagger.save : The same, as a method.

    Notes
    -----
    ``callbacks`` and a callable ``tokenizer`` are code and are not stored;
    the file records their names and :func:`load` takes them as keyword
    arguments. The optimizer's state is stored only with
    ``keep_optimizer=True`` or ``warm_start=True``, as with joblib.
    """
    import keras
    import tensorflow as tf
    from sklearn.utils.validation import check_is_fitted

    from .tagger import TokenTagger, _without_optimizer

    if not isinstance(tagger, TokenTagger):
        raise TypeError(f"save() needs a TokenTagger, got {type(tagger).__name__}.")
    check_is_fitted(tagger)
    params, left_out = _stored_params(tagger)
    header = {
        "format": _FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "sktag_version": __version__,
        "keras_version": keras.__version__,
        "tensorflow_version": tf.__version__,
        "params": params,
        "left_out_params": left_out,
        "fitted": {
            "_random_state": _to_json(tagger._random_state, "_random_state"),
            "target_encoder_": _to_json(tagger.target_encoder_, "target_encoder_"),
            "feature_encoder_": _to_json(_without_tokenizer(tagger.feature_encoder_),
                                         "feature_encoder_"),
            "history_": _to_json(tagger.history_, "history_"),
        },
    }
    model = tagger.model_
    header["optimizer_state"] = bool(
        (tagger.keep_optimizer or tagger.warm_start) and model.compiled
    )
    if not header["optimizer_state"]:
        model = _without_optimizer(model)
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_current_umask())  # mkstemp makes 0600; a model file is a file
    try:
        with tempfile.TemporaryDirectory() as scratch:
            weights = os.path.join(scratch, _WEIGHTS)
            model.save(weights)
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(_HEADER, json.dumps(header, ensure_ascii=False))
                archive.write(weights, _WEIGHTS, compress_type=zipfile.ZIP_STORED)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def load(path, **params):
    """Read a tagger written by :func:`save` (or ``TokenTagger.save``).

    Nothing in the file is unpickled or executed: the header is JSON and
    the Keras model is loaded with ``safe_mode=True``.

    Parameters
    ----------
    path : str or path-like
        An sktag model file.
    **params
        Parameters the file could not hold, given again: ``tokenizer`` (when
        the model was trained with one) and ``callbacks``. Any other
        parameter given here overrides the stored one (``verbose=1``).

    Returns
    -------
    tagger : TokenTagger
        A fitted tagger that predicts exactly as the saved one did.

    Raises
    ------
    ModelFileError
        The file is missing, not an sktag model file, truncated or
        corrupted, written by a newer sktag file format, or holds weights
        that do not fit its parameters. The message says which.

    Examples
    --------
    >>> import os, tempfile, sktag
    >>> from sktag import TokenTagger
    >>> X, y = [["a", "b"], ["b", "c"]], [["x", "y"], ["y", "z"]]
    >>> tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "tagger.sktag")
    >>> _ = tagger.save(path)
    >>> sktag.load(path).predict(X) == tagger.predict(X)
    True
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file.")
    _check_magic(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if _HEADER not in names:
                raise ModelFileError(
                    f"{path} is a zip archive but not an sktag model file (no {_HEADER})."
                )
            if archive.getinfo(_HEADER).file_size > _MAX_HEADER_BYTES:
                raise ModelFileError(f"{path}: {_HEADER} is implausibly large.")
            header = _read_header(path, archive.read(_HEADER))
            if _WEIGHTS not in names:
                raise ModelFileError(f"{path}: the file has no {_WEIGHTS}; it is incomplete.")
            weights = archive.read(_WEIGHTS)
    except zipfile.BadZipFile as exc:
        raise ModelFileError(
            f"{path} is not an sktag model file, or it is truncated or corrupted "
            f"(zip: {exc}). Models saved with joblib.dump load with joblib.load."
        ) from None
    except ModelFileError:
        raise
    except (OSError, EOFError, ValueError) as exc:
        raise ModelFileError(f"{path}: cannot read the file ({type(exc).__name__}: {exc}).") from None
    except zlib.error as exc:  # damage inside a compressed member, before its CRC is checked
        raise ModelFileError(
            f"{path} is truncated or corrupted (decompressing {_HEADER}: {exc})."
        ) from None
    return _build_tagger(path, header, weights, params)


def _check_magic(path):
    """Tell a pickle or other file from a zip before the zip reader looks for its end.

    ``zipfile`` finds an archive by its *last* bytes, and a joblib file of a
    tagger ends with one (scikeras pickles the Keras model as a .keras zip).
    """
    kind = _file_kind(path)
    if kind == "zip":
        return
    never = f"sktag never unpickles a {MODEL_SUFFIX} file, whoever wrote it."
    trust = ("Unpickling runs whatever code its writer put in it, so sktag.load never does; "
             "if you trust whoever wrote it, load it with joblib.load (sktag commands: "
             "--trust-pickle).")
    if kind == "pickle" and path.suffix == MODEL_SUFFIX:
        raise ModelFileError(
            f"{path} is named {MODEL_SUFFIX} but holds a pickle, not an sktag model file; "
            f"{never}"
        )
    if kind == "pickle":
        raise ModelFileError(f"{path} is a pickle (joblib) file, not an sktag model file. {trust}")
    damaged = (f"{path} is not an sktag model file, or it is truncated or corrupted "
               f"(it does not start like a zip archive).")
    if path.suffix == MODEL_SUFFIX:
        raise ModelFileError(f"{damaged} {never}")
    raise ModelFileError(f"{damaged} If it is a joblib or pickle file: {trust}")


def _file_kind(path):
    """``"zip"``, ``"pickle"`` or ``"other"``, from the first bytes of ``path``."""
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


def open_model(path, *, trust_pickle=False):
    """The tagger in ``path``: a safe model file or, only when trusted, a pickle.

    The one rule of which model files may run code, used by every ``sktag``
    command that reads a model. A file that is a zip archive is read as a
    safe model file (:func:`load`). Anything else is unpickled (with
    :func:`joblib.load`) only when ``trust_pickle`` is True *and* its name
    does not end with ``.sktag``: a ``.sktag`` file is never unpickled.

    Parameters
    ----------
    path : str or path-like
        A ``.sktag`` file, or a joblib file written by ``joblib.dump``.
    trust_pickle : bool, default=False
        Allow unpickling, which runs any code the file's writer put in it.

    Returns
    -------
    tagger : TokenTagger

    Raises
    ------
    ModelFileError
        A missing, damaged or untrusted file, or a pickle that is not a
        TokenTagger.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file.")
    if not trust_pickle or path.suffix == MODEL_SUFFIX or _file_kind(path) == "zip":
        return load(path)
    import joblib

    from .tagger import TokenTagger

    try:
        tagger = joblib.load(path)
    except Exception as exc:  # unpickling raises anything from EOFError to KeyError
        raise ModelFileError(
            f"cannot load model {path}: {type(exc).__name__}: {exc}") from None
    if not isinstance(tagger, TokenTagger):
        raise ModelFileError(f"{path} holds a {type(tagger).__name__}, not a sktag TokenTagger.")
    return tagger


def _read_header(path, raw):
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: {_HEADER} is not valid JSON ({exc}).") from None
    if not isinstance(header, dict) or header.get("format") != _FORMAT_NAME:
        raise ModelFileError(f"{path} is not an sktag model file (format is not {_FORMAT_NAME!r}).")
    version = header.get("format_version")
    writer = header.get("sktag_version", "an unknown version")
    if not isinstance(version, int) or version < 1:
        raise ModelFileError(f"{path}: invalid format_version {version!r}.")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{path} was written by sktag {writer} in model file format {version}; this "
            f"sktag ({__version__}) reads formats up to {FORMAT_VERSION}. Upgrade sktag to load it."
        )
    for key in ("params", "left_out_params", "fitted"):
        if not isinstance(header.get(key), dict):
            raise ModelFileError(f"{path}: {_HEADER} has no valid {key!r} section.")
    return header


def _build_tagger(path, header, weights, overrides):
    import keras

    from .models import CUSTOM_OBJECTS
    from .tagger import TokenTagger

    writer = header.get("sktag_version", "an unknown version")
    # Parameters of this TokenTagger count too: a file written before one existed can take it.
    known = {*header["left_out_params"], *header["params"], *TokenTagger().get_params(deep=False)}
    unknown = set(overrides) - known
    if unknown:
        raise TypeError(f"load() got parameters the model does not have: {sorted(unknown)}")
    try:
        params = _restored_params(header["params"], header["left_out_params"], overrides)
        tagger = TokenTagger(**params)
        fitted = {key: _from_json(value) for key, value in header["fitted"].items()}
        target_encoder, feature_encoder = fitted["target_encoder_"], fitted["feature_encoder_"]
        feature_encoder.tokenizer = tagger.tokenizer
        vars(tagger).update(fitted)
        vars(tagger).update(target_encoder.get_metadata())
        vars(tagger).update(feature_encoder.get_metadata())
    except ModelFileError as exc:
        raise ModelFileError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(
            f"{path}: the file written by sktag {writer} is inconsistent "
            f"({type(exc).__name__}: {exc})."
        ) from None
    with tempfile.TemporaryDirectory() as scratch:
        weights_path = os.path.join(scratch, _WEIGHTS)
        with open(weights_path, "wb") as f:
            f.write(weights)
        try:
            model = keras.saving.load_model(
                weights_path, custom_objects=CUSTOM_OBJECTS,
                compile=bool(header.get("optimizer_state")),  # restores Adam's slots too
                safe_mode=True,
            )
        except Exception as exc:  # Keras raises anything from OSError to ValueError
            raise ModelFileError(
                f"{path}: cannot load the Keras model written by sktag {writer} with Keras "
                f"{header.get('keras_version', '?')} ({type(exc).__name__}: {exc})."
            ) from None
    _check_model_fits(path, tagger, model)
    tagger.model_ = model
    tagger._initialize_callbacks()
    return tagger


def _check_model_fits(path, tagger, model):
    """The model's input vocabulary and output classes match the header."""
    from .models import find_layer

    try:
        n_vocab = find_layer(model, "embedding").input_dim
        n_out = model.outputs[0].shape[-1]
    except (ValueError, AttributeError, IndexError) as exc:
        raise ModelFileError(f"{path}: the Keras model is not an sktag model ({exc}).") from None
    if n_vocab != len(tagger.vocabulary_) or n_out != tagger.n_classes_:
        raise ModelFileError(
            f"{path}: the Keras model ({n_vocab} words, {n_out} classes) does not match the "
            f"stored vocabulary ({len(tagger.vocabulary_)} words) and labels "
            f"({tagger.n_classes_} classes)."
        )

