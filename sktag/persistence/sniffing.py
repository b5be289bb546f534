"""What a file is, from its name and first bytes, before any reader looks at it.

A zip reader finds an archive by its *last* bytes, and a joblib file of a
tagger can end with one; so a model file is told from a pickle by how it
starts, and the messages say what the file is and, for a pickle, why sktag
does not unpickle it.
"""

from pathlib import Path

__all__ = ["MODEL_SUFFIX", "ModelFileError", "check_safe_model_file", "file_kind",
           "is_model_file_name"]

#: The file name ending of safe model files; such a file is never unpickled.
MODEL_SUFFIX = ".sktag"


class ModelFileError(ValueError):
    """A file that :func:`sktag.load` cannot turn into a tagger, and why."""


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
