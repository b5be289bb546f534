"""Vector and cluster files opened as bytes: the part the binary and JSON readers share.

Text formats are read through :mod:`sktag.io.lines` (bounded lines,
encoding errors, gzip damage named by line); word2vec binary files and JSON
tables are read as bytes, opened here.
"""

from __future__ import annotations

import gzip
import os
import zlib
from typing import Any

from ..io.lines import DataFormatError

__all__ = ["DECOMPRESSION_ERRORS", "decompression_error", "file_size", "open_binary"]

#: What reading damaged gzip data raises.
DECOMPRESSION_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)


def open_binary(source: Any) -> tuple[str, Any, bool]:
    """``(name, file, owned)``: a path opened for reading bytes (gzip for a
    name ending in ``.gz``, any case), or a binary file object as given
    (``owned`` False: the caller does not close it)."""
    if isinstance(source, (str, os.PathLike)):
        name = os.fsdecode(os.fspath(source))
        opener = gzip.open if name.lower().endswith(".gz") else open
        return name, opener(source, "rb"), True
    if not hasattr(source, "read"):
        raise TypeError(f"expected a path or a binary file object, got {type(source).__name__}")
    name = getattr(source, "name", None)
    return (name if isinstance(name, str) else "<stream>"), source, False


def file_size(name: str, source: Any) -> int | None:
    """The size in bytes of an uncompressed file given by path, else None."""
    if isinstance(source, (str, os.PathLike)) and not name.lower().endswith(".gz"):
        try:
            return os.path.getsize(source)
        except OSError:
            return None
    return None


def decompression_error(name: str, lineno: int, exc: BaseException) -> DataFormatError:
    """The error for damaged gzip data met at ``lineno``."""
    return DataFormatError(
        name, lineno, "cannot decompress the file here: the gzip data is truncated or corrupted, "
        "or the file is not gzip-compressed although its name ends in .gz "
        f"({type(exc).__name__}: {exc}). Download or compress the file again.")
