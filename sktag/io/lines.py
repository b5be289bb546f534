"""Lines of corpus files, read and written: the part every format of :mod:`sktag.io` shares.

Reading: :func:`open_lines` opens a path (gzip-compressed if its name ends
in ``.gz``, any case), or takes an open text file or an iterable of lines
as given; :func:`clean_lines` yields its lines numbered, without line
endings or a leading BOM, and raises :class:`DataFormatError` naming the
line for a line longer than :data:`MAX_LINE_CHARS` (refused after reading at
most that many characters), bytes not valid in the encoding, and damaged
gzip data. :func:`read_text` is plain text read this way.

Writing: :func:`open_for_writing` opens a path (UTF-8, ``\\n``, gzip for
``.gz``) or borrows a writable text file; :func:`check_tokens`,
:func:`check_pairs` and :func:`check_field` check what a writer is given
before anything is written.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ..validation import check_labels, check_sentences

__all__ = ["MAX_LINE_CHARS", "DataFormatError", "read_text"]

#: The longest line the readers accept, in characters (line ending not
#: counted): 4 Mi, four times a one-million-character token. A longer line
#: raises :class:`DataFormatError` after at most this many characters are read.
MAX_LINE_CHARS = 1 << 22

_STREAM_NAME = "<stream>"


class DataFormatError(ValueError):
    """A corpus file is not in the expected format.

    The message starts with ``"<file>:<line>: "`` (1-based line number).

    Attributes
    ----------
    filename : str
        The path of the file, or ``"<stream>"`` for a stream without a name.
    lineno : int
        The 1-based number of the offending line.
    """

    def __init__(self, filename: str, lineno: int, problem: str) -> None:
        super().__init__(f"{filename}:{lineno}: {problem}")
        self.filename = filename
        self.lineno = lineno
        self.problem = problem


@contextmanager
def open_lines(source: Any, encoding: str = "utf-8") -> Iterator[tuple[str, Iterable[str]]]:
    """Yield ``(name, lines)`` for a path, an open text file or an iterable of lines.

    Paths are opened in ``encoding`` (UTF-8: with an optional BOM) and
    universal newlines; bytes that are not valid in it reach
    :func:`clean_lines` as lone surrogates (``surrogateescape``), which
    reports them with their line. Other sources are used as given and are
    not closed.
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        if isinstance(name, bytes):
            name = os.fsdecode(name)
        if codecs.lookup(encoding).name == "utf-8":
            encoding = "utf-8-sig"
        opener = gzip.open if name.lower().endswith(".gz") else open
        f = opener(source, "rt", encoding=encoding, errors="surrogateescape", newline=None)
        with f:
            yield name, f
        return
    if isinstance(source, (bytes, bytearray)):
        raise TypeError(
            "expected a path, a text file object or an iterable of str lines, got bytes"
        )
    if not isinstance(source, Iterable):
        raise TypeError(
            "expected a path, a text file object or an iterable of str lines, "
            f"got {type(source).__name__}"
        )
    name = getattr(source, "name", None)
    if not isinstance(name, str):
        name = _STREAM_NAME
    yield name, source


def _read_lines(source: Iterable[str]) -> Iterator[str]:
    """The lines of ``source``; a file object's are read at most
    ``MAX_LINE_CHARS + 2`` characters at a time (a line and its ending), so
    that a longer line is refused without being read whole."""
    if not isinstance(source, io.IOBase):
        yield from source
        return
    while True:
        line = source.readline(MAX_LINE_CHARS + 2)
        if not line:
            return
        yield line


def _is_gzip_stream(source: Any) -> bool:
    """True for a text or binary file object reading gzip-compressed data."""
    return isinstance(source, gzip.GzipFile) or isinstance(
        getattr(source, "buffer", None), gzip.GzipFile)


def shorten(text: str, limit: int = 40) -> str:
    """``repr(text)``, cut to about ``limit`` characters for a message."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text):,} characters)"


def clean_lines(name: str, lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Yield ``(lineno, line)`` with line endings and a leading BOM removed.

    Every reader's lines pass here: a non-str line, undecodable bytes, a line
    longer than :data:`MAX_LINE_CHARS` and damaged gzip data raise
    :class:`DataFormatError` naming the line.
    """
    lineno = 0
    try:
        for line in _read_lines(lines):
            lineno += 1
            if not isinstance(line, str):
                raise DataFormatError(
                    name, lineno, f"expected a str line, got {type(line).__name__} "
                    "(open the file in text mode)"
                )
            if len(line) > MAX_LINE_CHARS and len(line.rstrip("\r\n")) > MAX_LINE_CHARS:
                raise DataFormatError(
                    name, lineno,
                    f"the line is longer than {MAX_LINE_CHARS:,} characters "
                    "(sktag.io.MAX_LINE_CHARS); a corpus has one token or one sentence per "
                    "line: is this the right file, in the right format?",
                )
            undecodable = None if line.isascii() else _UNDECODABLE.search(line)
            if undecodable:
                raise DataFormatError(
                    name, lineno, _undecodable_message(line, undecodable.start()))
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            yield lineno, line.rstrip("\r\n")
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        if not _is_gzip_stream(lines):
            raise
        raise DataFormatError(
            name, lineno + 1,
            "cannot decompress this line: the gzip data is truncated or corrupted, "
            "or the file is not gzip-compressed although its name ends in .gz "
            f"({type(exc).__name__}: {exc}). Download or compress the file again.",
        ) from None


#: What ``errors="surrogateescape"`` turns undecodable bytes into.
_UNDECODABLE = re.compile("[\udc80-\udcff]+")


def _undecodable_message(line: str, start: int) -> str:
    run = _UNDECODABLE.match(line, start).group()
    raw = run.encode("utf-8", "surrogateescape")[:8]
    return (
        f"bytes {raw!r} at character {start + 1} cannot be decoded; the file is not in "
        f"the expected encoding (UTF-8 unless encoding= or --encoding says otherwise)"
    )


def open_for_writing(target: Any):
    """Return a context manager giving a writable text file for ``target``."""
    if isinstance(target, (str, os.PathLike)):
        if os.fsdecode(target).lower().endswith(".gz"):
            return gzip.open(target, "wt", encoding="utf-8", newline="\n")
        return open(target, "w", encoding="utf-8", newline="\n")
    if not hasattr(target, "write"):
        raise TypeError(
            f"expected a path or a writable text file object, got {type(target).__name__}"
        )

    @contextmanager
    def _borrowed():
        yield target

    return _borrowed()


def check_tokens(X: Any, container: str = "the file format") -> list[list[str]]:
    """Check the sentences a writer gets: lists of str tokens, none of them empty.

    The token rule is that of :func:`sktag.validation.check_sentences`; a
    writer adds that a sentence must already be split into tokens and must
    hold at least one, since ``container`` has no way to write an empty one.
    """
    if hasattr(X, "__len__") and not isinstance(X, (str, bytes)):
        for i, tokens in enumerate(X):
            if isinstance(tokens, str):
                raise TypeError(
                    f"X: sentence {i} is a single str; tokens must be a list of str. "
                    "Split it into tokens first (e.g. with str.split())."
                )
    sentences = check_sentences(X, allow_empty=True)
    for i, tokens in enumerate(sentences):
        if not tokens:
            raise ValueError(
                f"sentence {i} is empty; {container} cannot represent it. Remove it "
                "before writing."
            )
    return sentences


def no_sentences(X: Any, y: Any) -> bool:
    """True when X and y are both empty sequences: a writer writes an empty file."""
    return all(hasattr(v, "__len__") and not isinstance(v, (str, bytes)) and len(v) == 0
               for v in (X, y))


def check_pairs(X: Any, y: Any, container: str = "the file format") -> tuple[list, list]:
    """Check that X and y are aligned sentence by sentence (before writing anything).

    Tokens follow :func:`check_tokens`, labels
    :func:`sktag.validation.check_labels` (str or int, one per token).
    """
    sentences = check_tokens(X, container)
    labels = check_labels(y, [len(tokens) for tokens in sentences])
    return sentences, labels


def check_field(
    value: Any, what: str, i: int, j: int, forbidden: str, no_whitespace: bool = False
) -> str:
    """Convert a token or label to str and reject characters the format cannot hold."""
    text = str(value)
    bad = any(c in forbidden or (no_whitespace and c.isspace()) for c in text)
    if text == "" or bad:
        allowed = "whitespace" if no_whitespace else ", ".join(map(repr, forbidden))
        raise ValueError(
            f"sentence {i}, token {j}: {what} {text!r} is empty or contains a "
            f"character the format cannot hold ({allowed})"
        )
    return text


def read_text(path: Any, *, encoding: str = "utf-8") -> list[str]:
    """Read plain text, one sentence per line.

    Parameters
    ----------
    path : str, os.PathLike, text file object or iterable of str
        The text; a path is opened as in :func:`iter_conllu` (``.gz``
        included). A stream opened with ``errors="surrogateescape"`` gets
        the same check of its bytes.
    encoding : str, default="utf-8"
        Text encoding of a path.

    Returns
    -------
    lines : list of str
        Every line without its line ending, blank lines included.

    Raises
    ------
    DataFormatError
        Bytes that are not valid in ``encoding``; the message names the
        line and the bytes.

    Examples
    --------
    >>> read_text(["The cat sat .\\n", "\\n", "It ran .\\n"])
    ['The cat sat .', '', 'It ran .']
    """
    codecs.lookup(encoding)
    with open_lines(path, encoding) as (name, lines):
        return [line for _, line in clean_lines(name, lines)]
