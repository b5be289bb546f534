"""Reading word vectors: GloVe, word2vec and fastText text, word2vec binary, in bounded memory."""

from __future__ import annotations

import math
import os
import re
import warnings
from array import array
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..io.lines import MAX_LINE_CHARS, DataFormatError, clean_lines, open_lines, shorten
from .lexicon import duplicate_word_error
from .sources import DECOMPRESSION_ERRORS, decompression_error, file_size, open_binary
from .word_vectors import MAX_DIM, WordVectors, not_finite_reason

__all__ = ["as_word_vectors", "read_word_vectors"]

_ROWS_PER_BLOCK = 8192
_START_ELEMENTS = 1 << 20  # 4 MiB of float32 before the first growth
_NUMBERS = {"dtype": np.float32, "delimiter": " ", "comments": None, "quotechar": None, "ndmin": 2}
_HEADER = re.compile(r"(\d+) (\d+)")
_TEXT_NUMBER_BYTES = frozenset(b"0123456789+-.eEnaNAifIFty ")


def read_word_vectors(path: Any, *, max_words: int | None = None,
                      binary: bool | None = None) -> WordVectors:
    """Read word vectors: GloVe, word2vec or fastText text, word2vec binary.

    Parameters
    ----------
    path : str, os.PathLike, file object or iterable of str lines
        The vectors. A path ending in ``.gz`` (any case) is read
        gzip-compressed. A text format is also read from a text file object
        or an iterable of lines; the binary format from a path or a binary
        file object.
    max_words : int, default=None
        Read only the first ``max_words`` rows (files list the most frequent
        words first); the rest of the file is not read. None reads all.
    binary : bool, default=None
        True for word2vec's binary format, False for text; None decides from
        the first bytes of a path: a header line ``"<n_words> <dim>"``
        followed by bytes that are not numbers written as text is binary.

    Returns
    -------
    WordVectors
        The words in file order, and their vectors as float32.

    Raises
    ------
    DataFormatError
        A malformed file; the message starts with ``"<file>:<line>: "``
        and says what is wrong: a row of the wrong width, a value that is
        not a number, NaN or infinity (or a number too large for float32),
        a duplicate word, a header whose counts disagree with the rows, an
        empty file, a line longer than :data:`sktag.io.MAX_LINE_CHARS`,
        bytes that are not UTF-8, damaged gzip data.

    Notes
    -----
    Text: a word per line followed by its numbers, separated by single
    spaces (a space after the last number, as fastText writes, is ignored);
    a first line of two integers is the header ``"<n_words> <dim>"``, and
    blank lines are skipped. Without a header the first row gives the
    dimension. The numbers are the last ``dim`` fields of a line, so a word
    holding spaces (a few of GloVe 840B's do) is read whole, unless the field
    before the numbers is itself a number: then the row has too many.

    Binary (word2vec ``-binary 1``, gensim ``binary=True``): the header line,
    then for each word its UTF-8 bytes, a space and ``dim`` little-endian
    float32; a newline before a word is skipped. Its header counts as line 1
    and each row as one line in error messages, which also give the byte.

    Memory: the matrix is allocated at once from a header's count when the
    file's size can hold that many rows, and otherwise grown as rows arrive,
    so a header claiming 10^12 rows allocates nothing the file cannot fill.
    Words are kept as written (no Unicode normalization).

    Examples
    --------
    >>> wv = read_word_vectors(["2 3", "the 0.1 0.2 0.3", "cat 1 2 3"])
    >>> wv, wv.words, wv.vectors[1].tolist()
    (WordVectors(2 words x 3), ('the', 'cat'), [1.0, 2.0, 3.0])
    """
    if max_words is not None:
        if isinstance(max_words, bool) or not isinstance(max_words, (int, np.integer)):
            raise TypeError(f"max_words must be None or an int >= 1, got "
                            f"{type(max_words).__name__}")
        if max_words < 1:
            raise ValueError(f"max_words must be None or an int >= 1, got {max_words}")
        max_words = int(max_words)
    if binary is None:
        binary = isinstance(path, (str, os.PathLike)) and _looks_binary(path)
    if binary:
        name, f, owned = open_binary(path)
        try:
            return _BinaryReader(name, f, file_size(name, path)).read(max_words)
        finally:
            if owned:
                f.close()
    return _read_text(path, max_words)


class _Rows:
    """A float32 matrix filled block by block, allocated from what is known
    and grown by doubling.

    ``announced`` is a header's count, ``bound`` the most rows the file's
    size can hold (None for compressed data and streams), ``max_words`` the
    caller's cap. A header's count within the bound is allocated at once;
    otherwise 4 MiB to start with.
    """

    def __init__(self, dim: int, announced: int | None, bound: int | None,
                 max_words: int | None):
        known = [x for x in (announced, bound, max_words) if x is not None]
        self.dim, self.n = dim, 0
        self.limit = max(1, min(known)) if known else None
        if announced is not None and bound is not None:
            capacity = self.limit
        else:
            capacity = min(self.limit or math.inf, max(1, _START_ELEMENTS // dim))
        self.array = np.empty((capacity, dim), np.float32)

    def expect(self, n: int) -> None:
        """Make room for ``n`` rows at once (within the limit): the count
        estimated from the first rows of a file without a header."""
        n = n if self.limit is None else min(n, self.limit)
        if n > len(self.array):
            self.array.resize((n, self.dim), refcheck=False)

    def reserve(self, n: int) -> None:
        if n > len(self.array):
            capacity = max(n, 2 * len(self.array))
            if self.limit is not None:
                capacity = max(n, min(capacity, self.limit))
            self.array.resize((capacity, self.dim), refcheck=False)  # realloc: no copy on Linux

    def add(self, block: np.ndarray) -> None:
        self.reserve(self.n + len(block))
        self.array[self.n:self.n + len(block)] = block
        self.n += len(block)

    def finish(self) -> np.ndarray:
        if len(self.array) != self.n:
            self.array.resize((self.n, self.dim), refcheck=False)
        self.array.flags.writeable = False
        return self.array


def _row_bound(size: int | None, row_bytes: int) -> int | None:
    """The most rows of at least ``row_bytes`` bytes a file of ``size`` bytes holds."""
    return None if size is None else max(1, size // row_bytes)


def _parse_header(name: str, lineno: int, text: str) -> tuple[int, int]:
    """``(n_words, dim)`` from a header line ``"<n_words> <dim>"``, checked."""
    n, dim = (int(x) for x in _HEADER.fullmatch(text).groups())
    if n < 1:
        raise DataFormatError(name, lineno, f"the header {text!r} announces {n} words; a vectors "
                              "file needs at least one")
    if not 1 <= dim <= MAX_DIM:
        raise DataFormatError(name, lineno, f"the header {text!r} announces vectors of {dim:,} "
                              f"dimensions; sktag reads 1 to {MAX_DIM:,} (sktag.vectors.MAX_DIM)")
    return n, dim


def _looks_binary(path: Any) -> bool:
    """True when the file starts with a header line and its first row's
    values are not text: word2vec's binary format."""
    try:
        _, f, _ = open_binary(path)
        with f:
            head = f.read(1 << 16)
    except (OSError, *DECOMPRESSION_ERRORS):
        return False  # the text reader reports it, naming the line
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    end = head.find(b"\n")
    if end <= 0 or not _HEADER.fullmatch(head[:end].rstrip(b"\r ").decode("latin-1")):
        return False
    dim = int(head[:end].split()[1])
    space = head.find(b" ", end + 1)
    if space < 0:
        return False
    sample = head[space + 1:space + 1 + 4 * dim].split(b"\n", 1)[0]
    return not sample or any(byte not in _TEXT_NUMBER_BYTES for byte in sample)


def _read_text(source: Any, max_words: int | None) -> WordVectors:
    with open_lines(source) as (name, lines):
        size = file_size(name, source)
        words: list[str] = []
        index: dict[str, int] = {}
        linenos = array("q")
        pending: list[str] = []
        rows = n_header = header_line = dim = width = None
        lineno = chars = 0
        for lineno, line in clean_lines(name, lines):
            line = line.rstrip(" ")
            if not line:
                continue
            if rows is None:
                if _HEADER.fullmatch(line):
                    n_header, dim = _parse_header(name, lineno, line)
                    header_line, width = lineno, f"header (line {lineno})"
                    rows = _Rows(dim, n_header, _row_bound(size, 2 * dim + 2), max_words)
                    continue
                dim, width = line.count(" "), f"first row (line {lineno})"
                if line.startswith(" ") or "  " in line:
                    _split_row(name, lineno, line, dim, width)  # raises: an empty field
                if dim == 0:
                    raise DataFormatError(name, lineno, f"the line {shorten(line)} holds no "
                                          "numbers; expected a word and its vector, separated "
                                          "by spaces")
                if dim > MAX_DIM:
                    raise DataFormatError(name, lineno, f"the first row has {dim:,} numbers; sktag "
                                          f"reads vectors of 1 to {MAX_DIM:,} dimensions "
                                          "(sktag.vectors.MAX_DIM)")
                rows = _Rows(dim, None, _row_bound(size, 2 * dim + 2), max_words)
            if len(words) == max_words:
                break
            if n_header is not None and len(words) == n_header:
                raise DataFormatError(name, lineno, f"a row after the {n_header:,} word{'s' * (n_header != 1)} the header "
                                      f"(line {header_line}) announces; correct the header's count")
            word, _, rest = line.partition(" ")
            if not word or not rest or rest.count(" ") != dim - 1:
                word, rest = _split_row(name, lineno, line, dim, width)
            first = index.setdefault(word, len(words))
            if first != len(words):
                raise duplicate_word_error(name, lineno, word, linenos[first])
            words.append(word)
            linenos.append(lineno)
            pending.append(rest)
            chars += len(line) + 1
            if len(pending) == _ROWS_PER_BLOCK:
                rows.add(_parse_block(name, pending, linenos, words, rows.n, dim))
                pending.clear()
                if rows.n == _ROWS_PER_BLOCK and n_header is None and size is not None:
                    rows.expect(math.ceil(1.05 * size * rows.n / chars))
        if rows is None:
            raise DataFormatError(name, max(lineno, 1), "the file is empty: expected word vectors, "
                                  "a word and its numbers per line (GloVe, word2vec or fastText "
                                  "text), or a word2vec binary file")
        if pending:
            rows.add(_parse_block(name, pending, linenos, words, rows.n, dim))
    del index, linenos  # WordVectors makes its own index: only one at a time
    if not words:
        raise DataFormatError(name, header_line, "the file has a header but no vectors")
    if n_header is not None and len(words) < n_header and len(words) != max_words:
        raise DataFormatError(name, header_line, f"the header announces {n_header:,} words but "
                              f"the file holds {len(words):,}; is it truncated? Correct the "
                              "header's count, or read the first rows with max_words=")
    return WordVectors(words, rows.finish())


def _split_row(name: str, lineno: int, line: str, dim: int, width: str) -> tuple[str, str]:
    """The word and the numbers of a row the fast path did not split: a word
    with spaces in it, or a row of the wrong width."""
    fields = line.split(" ")
    if "" in fields:
        raise DataFormatError(name, lineno, f"an empty field in {shorten(line)}: two spaces in a "
                              "row, or a space before the word; separate the word and its "
                              "numbers by single spaces")
    n_numbers = len(fields) - 1
    if n_numbers > dim and not _is_number(fields[-dim - 1]):
        return " ".join(fields[:-dim]), " ".join(fields[-dim:])  # a word with spaces
    raise DataFormatError(name, lineno, f"the row of {shorten(fields[0])} has {n_numbers:,} "
                          f"number{'s' * (n_numbers != 1)}, but the {width} gives vectors of "
                          f"{dim:,}; every vector must have the same width")


def _is_number(text: str) -> bool:
    """True when the vectors' parser reads ``text`` as one number."""
    if not text:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            np.loadtxt([text], **_NUMBERS)
    except ValueError:
        return False
    return True


def _parse_block(name: str, rests: list[str], linenos: array, words: list[str], start: int,
                 dim: int) -> np.ndarray:
    """The numbers of ``rests`` (rows ``start...`` of the file) as float32,
    or the DataFormatError of the first bad value."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # float32 overflow: checked below
            block = np.loadtxt(rests, **_NUMBERS)
    except ValueError:
        block = None
    if block is not None and block.shape == (len(rests), dim) and np.isfinite(block).all():
        return block
    for i, rest in enumerate(rests):
        lineno, word = linenos[start + i], shorten(words[start + i])
        for value in rest.split(" "):
            if not value:
                raise DataFormatError(name, lineno, f"an empty field in the vector of {word}: "
                                      "two spaces in a row; separate the numbers by single "
                                      "spaces")
            if not _is_number(value):
                raise DataFormatError(name, lineno, f"the vector of {word} holds "
                                      f"{shorten(value)}, which is not a number")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                finite = np.isfinite(np.loadtxt([value], **_NUMBERS)).all()
            if not finite:
                raise DataFormatError(name, lineno, f"the vector of {word} holds {value!r}, "
                                      f"{not_finite_reason(value)}")
    raise AssertionError("a block of vectors failed to parse, but no value did")  # pragma: no cover


class _BinaryReader:
    """word2vec's binary format, read in blocks of 1 MiB (or a row, if larger)."""

    def __init__(self, name: str, f: Any, size: int | None):
        self.name, self.f, self.size = name, f, size
        self.data, self.pos, self.offset = b"", 0, 0  # offset: the file position of data[0]

    def _fill(self, need: int, lineno: int) -> bool:
        """Make ``need`` bytes available from ``pos``; False at the end of the file."""
        while len(self.data) - self.pos < need:
            try:
                chunk = self.f.read(max(1 << 20, need))
            except DECOMPRESSION_ERRORS as exc:
                raise decompression_error(self.name, lineno, exc) from None
            if not chunk:
                return False
            if not isinstance(chunk, bytes):
                raise TypeError("a binary vectors file must be opened in binary mode ('rb')")
            self.offset += self.pos
            self.data = self.data[self.pos:] + chunk
            self.pos = 0
        return True

    def _skip_newlines(self, lineno: int) -> bool:
        """Skip the newlines between rows; False at the end of the file."""
        while self._fill(1, lineno):
            if self.data[self.pos] not in b"\r\n":
                return True
            self.pos += 1
        return False

    def read(self, max_words: int | None) -> WordVectors:
        name = self.name
        self._fill(1, 1)
        end = self.data.find(b"\n", 0, 256)
        header = self.data[:end].rstrip(b"\r ").decode("latin-1") if end >= 0 else ""
        if not _HEADER.fullmatch(header):
            if not self.data:
                raise DataFormatError(name, 1, "the file is empty: expected word2vec binary "
                                      "vectors")
            raise DataFormatError(name, 1, "expected the header line '<n_words> <dim>' of a "
                                  f"word2vec binary file, found {self.data[:40]!r}; for a text "
                                  "file pass binary=False")
        n, dim = _parse_header(name, 1, header)
        self.pos = end + 1
        row_bytes = 4 * dim
        size = None if self.size is None else self.size - self.pos
        rows = _Rows(dim, n, _row_bound(size, row_bytes + 2), max_words)
        expected = n if max_words is None else min(n, max_words)
        words: list[str] = []
        index: dict[str, int] = {}
        while len(words) < expected:
            lineno = len(words) + 2
            if not self._skip_newlines(lineno):
                raise DataFormatError(name, 1, f"the header announces {n:,} words but the file "
                                      f"holds {len(words):,}; is it truncated? Correct the header's "
                                      "count, or read the first rows with max_words=")
            word = self._word(lineno)
            if not self._fill(row_bytes, lineno):
                raise DataFormatError(name, lineno, f"the file ends inside the vector of "
                                      f"{shorten(word)}, {len(self.data) - self.pos} of its "
                                      f"{row_bytes} bytes; is it truncated?")
            first = index.setdefault(word, len(words))
            if first != len(words):
                raise duplicate_word_error(name, lineno, word, first + 2)
            rows.reserve(rows.n + 1)
            rows.array[rows.n] = np.frombuffer(self.data, "<f4", dim, self.pos)
            rows.n += 1
            words.append(word)
            self.pos += row_bytes
        if len(words) == n and self._skip_newlines(n + 2):
            raise DataFormatError(name, n + 2, f"bytes after the {n:,} word{'s' * (n != 1)} the header (line 1) "
                                  f"announces, at byte {self.offset + self.pos:,}; correct the "
                                  "header's count")
        matrix = rows.finish()
        finite = np.isfinite(matrix).all(axis=1)
        if not finite.all():
            i = int(np.argmin(finite))
            value = float(matrix[i][~np.isfinite(matrix[i])][0])
            raise DataFormatError(name, i + 2, f"the vector of {shorten(words[i])} holds "
                                  f"{value!r}, {not_finite_reason(value)}")
        return WordVectors(words, matrix)

    def _word(self, lineno: int) -> str:
        """The word at ``pos`` (up to its space, which is skipped)."""
        name, start = self.name, self.offset + self.pos
        space = self.data.find(b" ", self.pos, self.pos + MAX_LINE_CHARS + 1)
        while space < 0:
            if len(self.data) - self.pos > MAX_LINE_CHARS:
                raise DataFormatError(name, lineno, f"no space within {MAX_LINE_CHARS:,} bytes of "
                                      f"byte {start:,}: a word longer than sktag.io.MAX_LINE_CHARS, "
                                      "or not a word2vec binary file (for text pass binary=False)")
            if not self._fill(len(self.data) - self.pos + 1, lineno):
                raise DataFormatError(name, lineno, f"the file ends inside a word, at byte "
                                      f"{self.offset + len(self.data):,}; is it truncated?")
            space = self.data.find(b" ", self.pos, self.pos + MAX_LINE_CHARS + 1)
        raw = self.data[self.pos:space]
        self.pos = space + 1
        if not raw:
            raise DataFormatError(name, lineno, f"an empty word at byte {start:,}: each row "
                                  "starts with a word, then a space and the vector's bytes")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataFormatError(name, lineno, f"the word {raw[:40]!r} at byte {start:,} is not "
                                  f"UTF-8 ({exc.reason}); is this a word2vec binary file?") from None


def as_word_vectors(obj: Any) -> WordVectors:
    """Turn what a user holds into :class:`WordVectors`.

    Parameters
    ----------
    obj : WordVectors, str, os.PathLike, KeyedVectors, (words, array) or dict
        A :class:`WordVectors` (returned as is); the path of a vectors file
        (:func:`read_word_vectors`); a gensim ``KeyedVectors``, or anything
        with ``index_to_key`` (the words) and ``vectors`` (their matrix); a
        pair ``(words, vectors)``; a dict mapping each word to its vector.

    Returns
    -------
    WordVectors

    Raises
    ------
    TypeError
        ``obj`` is none of these.

    Examples
    --------
    >>> as_word_vectors({"the": [0.5, 1.0], "cat": [0.0, -1.0]}).words
    ('the', 'cat')
    """
    if isinstance(obj, WordVectors):
        return obj
    if isinstance(obj, (str, os.PathLike)):
        return read_word_vectors(obj)
    if hasattr(obj, "index_to_key") and hasattr(obj, "vectors"):
        return WordVectors(obj.index_to_key, obj.vectors)
    if isinstance(obj, Mapping):
        if not obj:
            raise ValueError("the dict of word vectors is empty: expected at least one word")
        first, shape = next(iter(obj)), np.shape(next(iter(obj.values())))
        for word, vector in obj.items():
            if np.shape(vector) != shape:
                raise ValueError(f"the vector of {word!r} has shape {np.shape(vector)}, that of "
                                 f"{first!r} {shape}; every vector must have the same width")
        return WordVectors(list(obj), np.array(list(obj.values())))
    if isinstance(obj, (tuple, list)) and len(obj) == 2 and not isinstance(obj[0], str):
        return WordVectors(obj[0], obj[1])
    raise TypeError(
        "expected word vectors: a WordVectors, the path of a vectors file, a gensim KeyedVectors "
        "(index_to_key and vectors), a (words, vectors) pair or a dict word -> vector; got "
        f"{type(obj).__name__}")
