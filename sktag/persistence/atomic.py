"""Writing a file atomically beside its destination, and checking that it can be written.

A model is written under a short temporary name in its destination's
folder and renamed over the destination only once complete, so an
interrupted save never leaves half a model, and never touches the process's
umask. Errors name the destination, not the temporary file.
"""

import errno
import os
import secrets
from pathlib import Path

__all__ = ["check_writable", "write_atomically"]


def write_atomically(path, write):
    """Call ``write(f)`` on a new temporary file beside ``path``, then rename it to ``path``.

    The temporary file is created with mode 0666 as the process's umask
    allows, like any file the user creates (the umask is never changed: it
    belongs to the whole process); its short name fits beside any ``path``
    whose own name fits. ``write`` may raise to abandon the file (its
    exception propagates); the file is flushed to disk before the rename.

    Returns
    -------
    path : pathlib.Path

    Raises
    ------
    OSError
        Of the same type as the error that occurred, naming ``path``.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        tmp, fd = _create_temporary(directory)
    except OSError as exc:
        raise _save_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
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
