"""Read and write token-tagging corpora: CoNLL-U, IOB / CoNLL-2003, data frames.

Every reader returns data in sktag's convention: ``X`` is a list of
sentences, each a list of ``str`` tokens, and ``y`` is a list of label lists
with one label per token.  The ``iter_*`` variants are generators yielding one
``(tokens, labels)`` pair per sentence, so corpora far larger than memory can
be streamed.

Readers accept a path (``str`` or :class:`os.PathLike`), an already-open text
file object, or any iterable of lines.  Files are decoded as UTF-8 (a leading
byte-order mark is ignored) and read line by line; ``\\n`` and ``\\r\\n``
line endings both work.  Paths ending in ``.gz`` (any case) are read and
written gzip-compressed.  A malformed line raises :class:`DataFormatError`
whose message starts with ``"<file>:<line>: "``; so do damaged gzip data
(truncated or corrupted) and a line longer than :data:`MAX_LINE_CHARS`
characters, which is refused after reading at most that many characters,
so that a small compressed file cannot fill the memory with one line.

Writers accept a path or a writable text file object and produce files the
readers read back unchanged: ``read_conllu(write_conllu(X, y)) == (X, y)``
for string labels.  They check ``X`` and ``y`` as the estimator does (lists
of str tokens; str or int labels, one per token) before writing anything.

:func:`read_frame` and :func:`to_frame` convert between ``(X, y)`` and a
pandas DataFrame with one row per token (pandas is optional: ``pip install
"sktag[pandas]"``), including the layout of the Kaggle NER CSV, where only
the first row of a sentence carries its id.

Design note: sktag parses CoNLL-U itself instead of using the ``conllu``
package.  Token tagging needs two columns of each word line; a direct
line-by-line split is about 30 lines, streams in constant memory, is several
times faster than building ``conllu``'s full ``TokenList`` objects (which also
parse FEATS, MISC and DEPS into dicts), and lets every error point at the
exact file line -- and it keeps sktag free of one more dependency.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from .validation import check_labels, check_sentences, describe_value, label_kind

__all__ = [
    "CONLLU_COLUMNS",
    "MAX_LINE_CHARS",
    "DataFormatError",
    "fill_conllu",
    "iter_conllu",
    "iter_iob",
    "read_conllu",
    "read_frame",
    "read_iob",
    "read_text",
    "to_frame",
    "write_conllu",
    "write_iob",
]

#: The ten CoNLL-U columns, in file order (lower case).
CONLLU_COLUMNS = (
    "id",
    "form",
    "lemma",
    "upos",
    "xpos",
    "feats",
    "head",
    "deprel",
    "deps",
    "misc",
)

#: The longest line the readers accept, in characters (line ending not
#: counted): 4 Mi, four times a one-million-character token. A longer line
#: raises :class:`DataFormatError` after at most this many characters are read.
MAX_LINE_CHARS = 1 << 22

#: CoNLL-U columns that hold one value per word, where ``_`` means "no
#: value": read as labels, ``_`` is an error (the wrong column, or a file
#: not annotated yet); in FEATS, DEPS and MISC ``_`` is a value (none).
_VALUED_COLUMNS = frozenset({"upos", "xpos", "head", "deprel"})

_STREAM_NAME = "<stream>"
_DOCSTART = "-DOCSTART-"


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


# --------------------------------------------------------------------------
# helpers


def _column_index(tag: str) -> int:
    """Return the 0-based CoNLL-U column index of the column named ``tag``."""
    if not isinstance(tag, str):
        raise TypeError(f"tag must be a CoNLL-U column name (str), got {type(tag).__name__}")
    name = tag.strip().lower()
    if name not in CONLLU_COLUMNS:
        raise ValueError(
            f"unknown CoNLL-U column {tag!r}; valid names are: {', '.join(CONLLU_COLUMNS)}"
        )
    return CONLLU_COLUMNS.index(name)


@contextmanager
def _open_lines(source: Any, encoding: str = "utf-8") -> Iterator[tuple[str, Iterable[str]]]:
    """Yield ``(name, lines)`` for a path, an open text file or an iterable of lines.

    Paths are opened in ``encoding`` (UTF-8: with an optional BOM) and
    universal newlines; bytes that are not valid in it reach
    :func:`_clean_lines` as lone surrogates (``surrogateescape``), which
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


def _shorten(text: str, limit: int = 40) -> str:
    """``repr(text)``, cut to about ``limit`` characters for a message."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text):,} characters)"


def _clean_lines(name: str, lines: Iterable[str]) -> Iterator[tuple[int, str]]:
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
            undecodable = _UNDECODABLE.search(line)
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


def _opened_for_writing(target: Any):
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


def _check_tokens(X: Any, container: str = "the file format") -> list[list[str]]:
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


def _no_sentences(X: Any, y: Any) -> bool:
    """True when X and y are both empty sequences: a writer writes an empty file."""
    return all(hasattr(v, "__len__") and not isinstance(v, (str, bytes)) and len(v) == 0
               for v in (X, y))


def _check_pairs(X: Any, y: Any, container: str = "the file format") -> tuple[list, list]:
    """Check that X and y are aligned sentence by sentence (before writing anything).

    Tokens follow :func:`_check_tokens`, labels
    :func:`sktag.validation.check_labels` (str or int, one per token).
    """
    sentences = _check_tokens(X, container)
    labels = check_labels(y, [len(tokens) for tokens in sentences])
    return sentences, labels


def _check_field(
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


def _is_word_id(word_id: str) -> bool:
    """True for a plain word ID such as ``"7"``."""
    return word_id.isascii() and word_id.isdigit()


def _is_skipped_id(word_id: str) -> bool:
    """True for a multiword-token range (``"3-4"``) or an empty node (``"5.1"``)."""
    for sep in ("-", "."):
        parts = word_id.split(sep)
        if len(parts) == 2 and all(_is_word_id(p) for p in parts):
            return True
    return False


# --------------------------------------------------------------------------
# CoNLL-U


def _word_id_message(word_id: str, expected: int) -> str:
    """Say what is wrong with a word ID that is not the next one of its sentence."""
    if expected > 1 and len(word_id) < 10 and int(word_id) < expected:
        hint = ("a blank line is missing before this line, which begins a new sentence"
                if word_id == "1" else f"ID {word_id} is already taken")
        return (f"word ID {word_id} after word {expected - 1}: the word IDs of a sentence "
                f"count 1, 2, 3, ...; {hint}?")
    return (f"expected word ID {expected}, found {_shorten(word_id, 20)}: the word IDs of a "
            "sentence count 1, 2, 3, ...")


def _conllu_blocks(name: str, lines: Iterable[str]) -> Iterator[list[tuple]]:
    """Yield the blocks of a CoNLL-U file: its lines between blank lines.

    This is the one CoNLL-U parser of the readers and :func:`fill_conllu`.
    Each block is a list of ``(lineno, line, fields, is_word)``: ``fields``
    is None for a comment line (``#`` first) and the 10 columns otherwise;
    ``is_word`` is True for a word line (integer ID), False for a
    multiword-token range (``3-4``) or an empty node (``5.1``). The word IDs
    of a block must count 1, 2, 3, ...
    """
    block: list[tuple] = []
    expected = 1
    for lineno, line in _clean_lines(name, lines):
        if not line.strip():
            if block:
                yield block
                block, expected = [], 1
            continue
        if line.startswith("#"):
            block.append((lineno, line, None, False))
            continue
        fields = line.split("\t")
        if len(fields) != 10:
            raise DataFormatError(
                name, lineno, f"expected 10 tab-separated columns, found {len(fields)}"
            )
        if "" in fields:
            raise DataFormatError(
                name, lineno, f"the {CONLLU_COLUMNS[fields.index('')].upper()} column is "
                "empty; CoNLL-U writes a missing value as '_'"
            )
        word_id = fields[0]
        is_word = _is_word_id(word_id)
        if is_word:
            if word_id != str(expected):
                raise DataFormatError(name, lineno, _word_id_message(word_id, expected))
            expected += 1
        elif not _is_skipped_id(word_id):
            raise DataFormatError(name, lineno, f"invalid word ID {_shorten(word_id, 20)}")
        block.append((lineno, line, fields, is_word))
    if block:
        yield block


def _no_value_message(col: int, fields: Sequence[str]) -> str:
    """The message for a ``_`` read as a label from a column where it means no value."""
    column = CONLLU_COLUMNS[col].upper()
    return (
        f"word {fields[0]} ({_shorten(fields[1])}) has no {column} ('_'), the column read "
        f"as labels (tag={CONLLU_COLUMNS[col]!r}); name the column that holds the labels "
        "(tag=, or --tag in sktag commands), or annotate the file first. To read the tokens "
        "of a file not annotated yet, use tag=None."
    )


def _conllu_label(value: Any, col: int, i: int, j: int) -> str:
    """Check a label a writer puts into column ``col``: the rule the reader applies."""
    text = _check_field(value, "label", i, j, "\t\n\r")
    if text == "_" and CONLLU_COLUMNS[col] in _VALUED_COLUMNS:
        raise ValueError(
            f"sentence {i}, token {j}: label '_' means no value in the "
            f"{CONLLU_COLUMNS[col].upper()} column and would not read back as a label"
        )
    return text


def _label_column(tag: str, writing: bool = False) -> int:
    """The index of the column named ``tag``, checked for reading or writing labels."""
    col = _column_index(tag)
    if writing and col < 2:
        raise ValueError(f"cannot write labels into the {CONLLU_COLUMNS[col].upper()} column")
    return col


def iter_conllu(
    path: Any, tag: str | None = "upos", *, encoding: str = "utf-8"
) -> Iterator[Any]:
    """Stream the sentences of a CoNLL-U file.

    Comment lines (starting with ``#``) are skipped, and so are multiword-token
    lines (ID like ``3-4``) and empty-node lines (ID like ``5.1``): the tokens
    of the tagging task are the syntactic words, as Universal Dependencies
    prescribes.  A blank line ends a sentence; runs of blank lines and a
    missing final newline are fine.

    Parameters
    ----------
    path : str, os.PathLike, text file object or iterable of str
        The file to read.  A path is opened as UTF-8 (a BOM is ignored;
        gzip-compressed if it ends in ``.gz``) and read line by line; an open
        file or an iterable of lines is consumed as given and not closed.
    tag : str or None, default="upos"
        Name of the column holding the labels, case-insensitive: one of
        ``id, form, lemma, upos, xpos, feats, head, deprel, deps, misc``.
        None reads the tokens only (a file not annotated yet).
    encoding : str, default="utf-8"
        Text encoding of a path (ignored for open files and lines). Bytes
        that are not valid in it raise :class:`DataFormatError` naming the
        line and the bytes.

    Yields
    ------
    tokens : list of str
        The FORM column of the sentence's words.
    labels : list of str
        The ``tag`` column of the same words; with ``tag=None`` only
        ``tokens`` is yielded (a list, not a pair).

    Raises
    ------
    ValueError
        If ``tag`` is not a CoNLL-U column name (raised at the call, before
        any reading).
    DataFormatError
        Raised when the generator reaches the line: a line does not have 10
        tab-separated columns or one of them is empty (``_`` is no value),
        an ID is neither an integer, a range (``3-4``) nor a decimal
        (``5.1``), the word IDs of a sentence do not count 1, 2, 3, ... (a
        repeated ID, or a missing blank line between two sentences), or the
        labels are read from UPOS, XPOS, HEAD or DEPREL
        and a word has ``_`` (no value) there.  Also for lines that cannot be
        read; see the module's description.

    See Also
    --------
    read_conllu : Read the whole file into ``(X, y)``.

    Examples
    --------
    >>> lines = ["# text = Hi there", "1\\tHi\\thi\\tINTJ\\tUH\\t_\\t0\\troot\\t_\\t_",
    ...          "2\\tthere\\tthere\\tADV\\tRB\\t_\\t1\\tadvmod\\t_\\t_", ""]
    >>> list(iter_conllu(lines))
    [(['Hi', 'there'], ['INTJ', 'ADV'])]
    >>> list(iter_conllu(lines, tag=None))
    [['Hi', 'there']]
    """
    col = None if tag is None else _label_column(tag)  # validated now, not at the first next()
    codecs.lookup(encoding)  # an unknown encoding: LookupError now
    return _iter_conllu(path, col, encoding)


def _iter_conllu(source: Any, col: int | None, encoding: str) -> Iterator[Any]:
    no_value = col is not None and CONLLU_COLUMNS[col] in _VALUED_COLUMNS
    with _open_lines(source, encoding) as (name, lines):
        for block in _conllu_blocks(name, lines):
            words = [(lineno, fields) for lineno, _, fields, is_word in block if is_word]
            if not words:
                continue
            tokens = [fields[1] for _, fields in words]
            if col is None:
                yield tokens
                continue
            if no_value:
                for lineno, fields in words:
                    if fields[col] == "_":
                        raise DataFormatError(name, lineno, _no_value_message(col, fields))
            yield tokens, [fields[col] for _, fields in words]


def read_conllu(
    path: Any, tag: str | None = "upos", *, encoding: str = "utf-8"
) -> Any:
    """Read a CoNLL-U file into tokens and labels.

    Parameters
    ----------
    path : str, os.PathLike, text file object or iterable of str
        The file to read; see :func:`iter_conllu`.
    tag : str or None, default="upos"
        Name of the label column, case-insensitive (``"upos"``, ``"xpos"``,
        ``"deprel"``, ... any of the ten CoNLL-U columns).  None reads the
        tokens only and returns ``X`` alone, as for a file to be tagged
        (see :func:`fill_conllu`).
    encoding : str, default="utf-8"
        Text encoding of a path; see :func:`iter_conllu`.

    Returns
    -------
    X : list of list of str
        One list of tokens (FORM) per sentence.
    y : list of list of str
        One list of labels per sentence, aligned with ``X``; returned (as
        ``(X, y)``) only when ``tag`` is not None.

    Raises
    ------
    ValueError
        If ``tag`` is not a CoNLL-U column name.
    DataFormatError
        If a line is malformed, or a label in UPOS, XPOS, HEAD or DEPREL is
        ``_``; the message names the file and line (see :func:`iter_conllu`).

    Examples
    --------
    >>> X, y = read_conllu(["1\\tHi\\thi\\tINTJ\\tUH\\t_\\t0\\troot\\t_\\t_"], tag="xpos")
    >>> X, y
    ([['Hi']], [['UH']])
    >>> read_conllu(["1\\tHi\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\t_"], tag=None)
    [['Hi']]
    """
    if tag is None:
        return list(iter_conllu(path, tag=None, encoding=encoding))
    X: list[list[str]] = []
    y: list[list[str]] = []
    for tokens, labels in iter_conllu(path, tag=tag, encoding=encoding):
        X.append(tokens)
        y.append(labels)
    return X, y


def write_conllu(path_or_file: Any, X: Sequence, y: Sequence, tag: str = "upos") -> None:
    """Write tokens and labels as a 10-column CoNLL-U file.

    Each word line holds its 1-based ID, the token as FORM, the label in the
    ``tag`` column and ``_`` in every other column; each sentence ends with
    a blank line.  Reading the file back with ``read_conllu(path, tag=tag)``
    returns ``(X, y)`` (labels as ``str``).  To fill one column of an
    existing CoNLL-U file and keep the rest, use :func:`fill_conllu`.

    Parameters
    ----------
    path_or_file : str, os.PathLike or writable text file object
        Where to write.  A path is created or overwritten (UTF-8, ``\\n``
        line endings, gzip-compressed if it ends in ``.gz``); a file object
        is written to and left open.
    X : list of list of str
        Tokens, one list per sentence; none (with an empty y) writes an empty file.
    y : list of list of (str or int)
        Labels, one list per sentence, one label per token; int labels are
        written with ``str()``.
    tag : str, default="upos"
        Column that receives the labels; any CoNLL-U column except ``id``
        and ``form``.

    Raises
    ------
    ValueError
        If ``len(X[i]) != len(y[i])`` (the message names sentence ``i``), a
        sentence is empty, a token or label is empty or contains a tab or a
        newline, a label is ``_`` in UPOS, XPOS, HEAD or DEPREL (the reader
        takes it for no value), or ``tag`` is not a usable column.  Nothing
        is written then.
    TypeError
        If a sentence is a str rather than a list of tokens, a token is not a
        str, or a label is neither str nor int (labels follow the estimator's
        rule, :func:`sktag.validation.check_labels`).  Nothing is written.

    Examples
    --------
    >>> import io
    >>> f = io.StringIO()
    >>> write_conllu(f, [["Hi", "there"]], [["INTJ", "ADV"]])
    >>> f.getvalue().splitlines()[1].split("\\t")
    ['2', 'there', '_', 'ADV', '_', '_', '_', '_', '_', '_']
    """
    col = _label_column(tag, writing=True)
    X, y = ([], []) if _no_sentences(X, y) else _check_pairs(X, y)
    # Validate everything before opening the target so a bad input leaves no partial file.
    rows = []
    for i, (tokens, labels) in enumerate(zip(X, y)):
        sent = []
        for j, (tok, lab) in enumerate(zip(tokens, labels)):
            tok = _check_field(tok, "token", i, j, "\t\n\r")
            fields = [str(j + 1), tok] + ["_"] * 8
            fields[col] = _conllu_label(lab, col, i, j)
            sent.append("\t".join(fields))
        rows.append(sent)
    with _opened_for_writing(path_or_file) as f:
        for sent in rows:
            f.write("\n".join(sent))
            f.write("\n\n")


def fill_conllu(
    template: Any, path_or_file: Any, y: Sequence, tag: str = "upos", *,
    encoding: str = "utf-8",
) -> None:
    """Write a CoNLL-U file again with one column filled with new labels.

    This is how a tagger writes its predictions for a CoNLL-U file (as
    ``sktag predict`` does): the ``tag`` column of each word line gets its
    label from ``y`` and everything else is kept -- comments, multiword-token
    lines (``3-4``), empty nodes (``5.1``) and the other nine columns.  Line
    endings become ``\\n``, a BOM is dropped, and each sentence ends with one
    blank line.

    Parameters
    ----------
    template : str, os.PathLike, text file object or iterable of str
        The CoNLL-U file to fill, read as :func:`iter_conllu` reads it (all
        of it, before anything is written: ``path_or_file`` may name it).
    path_or_file : str, os.PathLike or writable text file object
        Where to write, as in :func:`write_conllu`.
    y : list of list of (str or int)
        Labels, one list per sentence of ``template`` (as
        ``read_conllu(template, tag=None)`` returns them), one per word.
    tag : str, default="upos"
        Column that receives the labels; any CoNLL-U column except ``id``
        and ``form``.
    encoding : str, default="utf-8"
        Text encoding of ``template`` when it is a path; the output is UTF-8.

    Raises
    ------
    DataFormatError
        If ``template`` is malformed, as in :func:`iter_conllu`.
    ValueError
        If ``y`` does not have one label per word of each sentence, a label
        cannot be written (as in :func:`write_conllu`), or ``tag`` is not a
        usable column.  Nothing is written then.
    TypeError
        If a label is neither str nor int.

    Examples
    --------
    >>> import io
    >>> lines = ["# text = Hi", "1\\tHi\\thi\\t_\\tUH\\t_\\t0\\troot\\t_\\tSpaceAfter=No"]
    >>> f = io.StringIO()
    >>> fill_conllu(lines, f, [["INTJ"]])
    >>> f.getvalue().split("\\n")
    ['# text = Hi', '1\\tHi\\thi\\tINTJ\\tUH\\t_\\t0\\troot\\t_\\tSpaceAfter=No', '', '']
    """
    col = _label_column(tag, writing=True)
    codecs.lookup(encoding)
    with _open_lines(template, encoding) as (name, lines):
        blocks = [[(line, fields, is_word) for _, line, fields, is_word in block]
                  for block in _conllu_blocks(name, lines)]
    sentences = [block for block in blocks if any(is_word for *_, is_word in block)]
    lengths = [sum(is_word for *_, is_word in block) for block in sentences]
    if not lengths and hasattr(y, "__len__") and len(y) == 0:
        labels = []  # no sentence (comments only, or nothing): nothing to fill
    else:
        labels = check_labels(y, lengths, x_name=name)
    out, sentence = [], 0
    for block in blocks:
        rows = [line for line, *_ in block]
        if any(is_word for *_, is_word in block):
            seq, j = labels[sentence], 0
            for k, (_, fields, is_word) in enumerate(block):
                if is_word:
                    filled = list(fields)
                    filled[col] = _conllu_label(seq[j], col, sentence, j)
                    rows[k] = "\t".join(filled)
                    j += 1
            sentence += 1
        out.append(rows)
    with _opened_for_writing(path_or_file) as f:
        for rows in out:
            f.write("\n".join(rows))
            f.write("\n\n")


# --------------------------------------------------------------------------
# IOB / CoNLL-2003


def _skipped_iob_line(line: str, comment_prefix: str | None, sentence_start: bool) -> str | None:
    """Say why the IOB reader skips ``line``, or return None for a token line.

    The one rule of :func:`iter_iob` and :func:`write_iob`: a comment is a
    line before the first token of a sentence that starts with
    ``comment_prefix`` followed by whitespace or nothing and holds no tab, as
    Universal NER's ``# sent_id = ...`` and ``# text = ...`` lines do; a
    token line of a tab-separated file always holds a tab, so tokens such as
    ``#Brexit`` or ``#`` read back.  A line whose first word is
    ``-DOCSTART-`` is a CoNLL-2003 document separator anywhere.
    """
    if sentence_start and comment_prefix and line.startswith(comment_prefix) and "\t" not in line:
        rest = line[len(comment_prefix):]
        if not rest or rest[0].isspace() or comment_prefix[-1].isspace():
            return "a comment"
    if line.split(None, 1)[0] == _DOCSTART:
        return "a -DOCSTART- line"
    return None


def iter_iob(
    path: Any,
    token_col: int = 0,
    tag_col: int = -1,
    sep: str | None = None,
    *,
    comment_prefix: str | None = "#",
    encoding: str = "utf-8",
) -> Iterator[tuple[list[str], list[str]]]:
    """Stream the sentences of an IOB / CoNLL-2003 style column file.

    One token per line, columns separated by ``sep``; a blank line ends a
    sentence.  ``-DOCSTART-`` lines (CoNLL-2003 document separators) are
    skipped, as are comment lines such as UNER's ``# sent_id = ...``.

    Parameters
    ----------
    path : str, os.PathLike, text file object or iterable of str
        The file to read (UTF-8, optional BOM, ``\\n`` or ``\\r\\n``;
        gzip-compressed if the path ends in ``.gz``).
    token_col : int, default=0
        Index of the token column (negative counts from the end).
    tag_col : int, default=-1
        Index of the tag column (negative counts from the end).  The
        defaults suit CoNLL-2003 (``token POS chunk NER``) and 2-column
        ``token tag`` files; for Universal NER ``.iob2`` files (``id token
        tag - annotator``) use ``token_col=1, tag_col=2``.
    sep : str or None, default=None
        Column separator.  ``None`` detects it from the first token line:
        a tab if that line contains one, otherwise any run of whitespace.
    comment_prefix : str or None, default="#"
        A comment is a line before the first token of a sentence (where
        CoNLL-U and Universal NER put them) that starts with this string
        followed by whitespace or nothing, and holds no tab: ``# sent_id =
        s1`` is a comment, while ``#Brexit<TAB>O`` and ``#<TAB>O`` are tokens,
        also first in a sentence, and a ``#`` line inside a sentence is
        always a token.  ``None`` disables comments.
    encoding : str, default="utf-8"
        Text encoding of a path (ignored for open files and lines). Bytes
        that are not valid in it raise :class:`DataFormatError` naming the
        line and the bytes.

    Yields
    ------
    tokens : list of str
        The ``token_col`` column of the sentence's lines.
    labels : list of str
        The ``tag_col`` column of the same lines.

    Raises
    ------
    DataFormatError
        If a token line has a different number of columns than the first
        token line of the file, too few columns for ``token_col`` and
        ``tag_col``, or an empty token or tag (such as the line ``<TAB>O``);
        raised when the generator reaches that line.

    See Also
    --------
    read_iob : Read the whole file into ``(X, y)``.

    Examples
    --------
    >>> lines = ["-DOCSTART- -X- -X- O", "", "EU NNP B-NP B-ORG", "rejects VBZ B-VP O"]
    >>> list(iter_iob(lines))
    [(['EU', 'rejects'], ['B-ORG', 'O'])]
    """
    for value, what in ((token_col, "token_col"), (tag_col, "tag_col")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if sep is not None and (not isinstance(sep, str) or sep == ""):
        raise ValueError(f"sep must be None or a non-empty str, got {sep!r}")
    codecs.lookup(encoding)  # an unknown encoding: LookupError now
    return _iter_iob(path, token_col, tag_col, sep, comment_prefix, encoding)


def _iter_iob(source, token_col, tag_col, sep, comment_prefix, encoding):
    with _open_lines(source, encoding) as (name, lines):
        tokens: list[str] = []
        labels: list[str] = []
        n_cols: int | None = None  # column count fixed by the first token line
        first_line = 0
        split_ws = False  # sep=None detected as "any whitespace"
        for lineno, line in _clean_lines(name, lines):
            if not line.strip():
                if tokens:
                    yield tokens, labels
                    tokens, labels = [], []
                continue
            if _skipped_iob_line(line, comment_prefix, not tokens):
                continue  # a comment or a CoNLL-2003 document separator
            if sep is None:  # detect once, from the first token line
                sep = "\t" if "\t" in line else " "
                split_ws = sep == " "
            fields = line.split() if split_ws else line.split(sep)
            if n_cols is None:
                n_cols, first_line = len(fields), lineno
                needed = max(token_col if token_col >= 0 else -token_col - 1,
                             tag_col if tag_col >= 0 else -tag_col - 1) + 1
                if n_cols < needed or n_cols < 2:
                    raise DataFormatError(
                        name, lineno,
                        f"expected at least {max(needed, 2)} columns "
                        f"(token_col={token_col}, tag_col={tag_col}), found {n_cols}",
                    )
            elif len(fields) != n_cols:
                what = "tab-separated" if sep == "\t" else (
                    "whitespace-separated" if split_ws else f"{sep!r}-separated")
                raise DataFormatError(
                    name, lineno,
                    f"expected {n_cols} {what} columns (as on line {first_line}), "
                    f"found {len(fields)}",
                )
            token, label = fields[token_col], fields[tag_col]
            if not token or not label:
                what, col = ("token", token_col) if not token else ("tag", tag_col)
                raise DataFormatError(name, lineno, f"the {what} (column {col}) is empty")
            tokens.append(token)
            labels.append(label)
        if tokens:
            yield tokens, labels


def read_iob(
    path: Any,
    token_col: int = 0,
    tag_col: int = -1,
    sep: str | None = None,
    *,
    comment_prefix: str | None = "#",
    encoding: str = "utf-8",
) -> tuple[list[list[str]], list[list[str]]]:
    """Read an IOB / CoNLL-2003 style column file into tokens and labels.

    Parameters
    ----------
    path : str, os.PathLike, text file object or iterable of str
        The file to read; see :func:`iter_iob`.
    token_col : int, default=0
        Index of the token column.
    tag_col : int, default=-1
        Index of the tag column.  For Universal NER ``.iob2`` files use
        ``token_col=1, tag_col=2``.
    sep : str or None, default=None
        Column separator; ``None`` detects tab or whitespace.
    comment_prefix : str or None, default="#"
        Prefix of comment lines at the start of a sentence (see
        :func:`iter_iob` for the rule); ``None`` disables comments.
    encoding : str, default="utf-8"
        Text encoding of a path (ignored for open files and lines). Bytes
        that are not valid in it raise :class:`DataFormatError` naming the
        line and the bytes.

    Returns
    -------
    X : list of list of str
        One list of tokens per sentence.
    y : list of list of str
        One list of tags per sentence, aligned with ``X``.

    Raises
    ------
    DataFormatError
        If a line is malformed; the message names the file and line.

    Examples
    --------
    >>> read_iob(["1\\tEU\\tB-ORG\\t-\\t-", "2\\trejects\\tO\\t-\\t-"], token_col=1, tag_col=2)
    ([['EU', 'rejects']], [['B-ORG', 'O']])
    """
    X: list[list[str]] = []
    y: list[list[str]] = []
    for tokens, labels in iter_iob(
        path, token_col=token_col, tag_col=tag_col, sep=sep, comment_prefix=comment_prefix,
        encoding=encoding,
    ):
        X.append(tokens)
        y.append(labels)
    return X, y


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
    with _open_lines(path, encoding) as (name, lines):
        return [line for _, line in _clean_lines(name, lines)]


def write_iob(path_or_file: Any, X: Sequence, y: Sequence, sep: str = "\t") -> None:
    """Write tokens and labels as ``token<sep>tag`` lines.

    Sentences are separated by a blank line.  ``read_iob(path, sep=sep)``
    returns ``(X, y)`` again (labels as ``str``), tokens that start with
    ``#`` included: the writer refuses a line that the reader would skip (a
    first token ``#`` with a separator other than a tab, which would read
    as a comment, or a token ``-DOCSTART-``).

    Parameters
    ----------
    path_or_file : str, os.PathLike or writable text file object
        Where to write.  A path is created or overwritten (UTF-8, ``\\n``
        line endings, gzip-compressed if it ends in ``.gz``); a file object
        is written to and left open.
    X : list of list of str
        Tokens, one list per sentence; none (with an empty y) writes an empty file.
    y : list of list of (str or int)
        Tags, one list per sentence, one tag per token; int tags are written
        with ``str()``.
    sep : str, default="\\t"
        Column separator.

    Raises
    ------
    ValueError
        If ``len(X[i]) != len(y[i])`` (the message names sentence ``i``), a
        sentence is empty, a token or tag is empty or contains ``sep``, a tab
        or a newline, or a line would read back as a comment or a document
        separator (it could not be read back).  Nothing is written then.
    TypeError
        If a sentence is a str rather than a list of tokens, a token is not a
        str, or a tag is neither str nor int.  Nothing is written then.

    Examples
    --------
    >>> import io
    >>> f = io.StringIO()
    >>> write_iob(f, [["EU", "rejects"]], [["B-ORG", "O"]], sep=" ")
    >>> print(f.getvalue(), end="")
    EU B-ORG
    rejects O
    <BLANKLINE>
    """
    if not isinstance(sep, str) or sep == "" or "\n" in sep or "\r" in sep:
        raise ValueError(f"sep must be a non-empty str without newlines, got {sep!r}")
    X, y = ([], []) if _no_sentences(X, y) else _check_pairs(X, y)
    forbidden = "".join(dict.fromkeys("\t\n\r" + sep))
    # A whitespace separator other than tab is read back by splitting on any
    # whitespace, so tokens and tags must not contain any.
    no_ws = sep != "\t" and sep.isspace()
    rows = []
    for i, (tokens, labels) in enumerate(zip(X, y)):
        sent = []
        for j, (tok, lab) in enumerate(zip(tokens, labels)):
            tok = _check_field(tok, "token", i, j, forbidden, no_ws)
            lab = _check_field(lab, "label", i, j, forbidden, no_ws)
            line = f"{tok}{sep}{lab}"
            skipped = _skipped_iob_line(line, "#", j == 0)
            if skipped:
                fix = ("write with sep='\\t'" if skipped == "a comment" else
                       "leave the token out or change it")
                raise ValueError(
                    f"sentence {i}, token {j}: the line {_shorten(line)} would read back as "
                    f"{skipped}, not as a token; {fix}"
                )
            sent.append(line)
        rows.append(sent)
    with _opened_for_writing(path_or_file) as f:
        for sent in rows:
            f.write("\n".join(sent))
            f.write("\n\n")


# --------------------------------------------------------------------------
# pandas data frames, one row per token


def _import_pandas():
    """Import pandas, or say how to install it."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            'read_frame and to_frame need pandas: pip install "sktag[pandas]"'
        ) from exc
    return pd


def _is_missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA and NaT: a cell with no value."""
    import pandas as pd  # only called once read_frame has imported it

    missing = pd.isna(value)  # an array for a list-like cell: not missing
    return isinstance(missing, (bool, np.bool_)) and bool(missing)


def _row_namer(pd: Any, df: Any):
    """Return a function naming row ``pos`` of ``df`` in messages.

    Rows are numbered from 0 in frame order; the index label is added when
    the index is not the default 0, 1, 2, ...
    """
    index = df.index
    default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1

    def name(pos: int) -> str:
        if default:
            return f"row {pos}"
        label = index[pos]
        label = label.item() if isinstance(label, np.generic) else label
        return f"row {pos} (index {label!r})"

    return name


def _check_frame_columns(pd: Any, df: Any, columns: dict) -> None:
    """Check that ``df`` is a DataFrame holding each named column once."""
    if not isinstance(df, pd.DataFrame):
        hint = " (convert it with its to_pandas())" if hasattr(df, "to_pandas") else ""
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}{hint}.")
    available = list(df.columns)
    missing = [f"{name}={col!r}" for name, col in columns.items() if col not in df.columns]
    if missing:
        raise ValueError(
            f"the data frame has no column {', '.join(missing)}; its columns are "
            f"{available}. Name the columns with sentence=, token= and tag= (for "
            "the Kaggle NER CSV: sentence='Sentence #', token='Word', tag='Tag')."
        )
    for name, col in columns.items():
        if available.count(col) > 1:
            raise ValueError(
                f"the data frame has {available.count(col)} columns named {col!r} "
                f"({name}=); give each column a distinct name."
            )


def _sentence_starts(ids: Sequence, missing: Sequence, column: str, row: Any) -> list[int]:
    """Positions of the rows that begin a sentence.

    A row whose id is ``missing`` (NaN, None or an empty str) continues the
    sentence above it; a row whose id differs from the sentence above
    begins one; an id seen before, above another sentence, is an error.
    """
    starts: list[int] = []
    first_row: dict = {}
    current = None
    for pos, (value, no_id) in enumerate(zip(ids, missing)):
        if no_id or (isinstance(value, str) and not value.strip()):
            if not starts:
                raise ValueError(
                    f"{row(pos)}: column {column!r} is empty and no sentence begins "
                    "above it; the first row of each sentence must carry its id."
                )
            continue
        if starts and value == current:
            continue
        try:
            seen = first_row.get(value)
        except TypeError:
            raise TypeError(
                f"{row(pos)}: sentence id {describe_value(value)} in column {column!r} "
                "cannot be compared with others; use str or int ids."
            ) from None
        if seen is not None:
            raise ValueError(
                f"{row(pos)}: sentence {value!r} (column {column!r}) began at "
                f"{row(seen)} and appears again after other sentences; the rows of a "
                "sentence must be contiguous. When every row carries its sentence "
                f"id, df.sort_values({column!r}, kind='stable') groups them."
            )
        first_row[value] = pos
        starts.append(pos)
        current = value
    return starts


def _frame_tokens(values: Sequence, column: str, sentence: str, row: Any) -> list[str]:
    """The tokens of a column, checked: every one a non-empty str."""
    tokens = []
    for pos, value in enumerate(values):
        if isinstance(value, str) and value:
            tokens.append(str(value))
        elif isinstance(value, str):
            raise ValueError(
                f"{row(pos)}: the token (column {column!r}) is an empty str; every "
                "token must be a non-empty str."
            )
        elif _is_missing(value):
            raise ValueError(
                f"{row(pos)}: the token (column {column!r}) is missing "
                f"({describe_value(value)}). pandas reads cells such as 'NA', 'null' "
                "or 'nan' as NaN: read the CSV with keep_default_na=False, "
                f"na_values={{{sentence!r}: ['']}} to keep them as tokens."
            )
        else:
            raise TypeError(
                f"{row(pos)}: the token (column {column!r}) is "
                f"{describe_value(value)}; every token must be a str."
            )
    return tokens


def _frame_tags(values: Sequence, column: str, row: Any) -> list:
    """The tags of a column, checked as labels are: all str or all int."""
    tags: list = []
    kind = None
    for pos, value in enumerate(values):
        this_kind = label_kind(value)
        if this_kind is None:
            what = "missing" if _is_missing(value) else "neither str nor int"
            raise TypeError(
                f"{row(pos)}: the tag (column {column!r}) is {describe_value(value)}, "
                f"{what}; every token needs a str or int tag."
            )
        if kind is None:
            kind = this_kind
        elif this_kind != kind:
            raise TypeError(
                f"{row(pos)}: the tag (column {column!r}) is {this_kind} "
                f"{value!r} but the tags above are {kind}; use one label type."
            )
        tags.append(int(value) if kind == "int" else str(value))
    return tags


def read_frame(
    df: Any, *, sentence: str = "sentence", token: str = "token", tag: str | None = "tag"
) -> Any:
    """Read sentences from a pandas DataFrame with one row per token.

    This is the long layout in which tabular tools keep token-tagging data:
    a column of sentence ids, a column of tokens and a column of tags, the
    rows of a sentence one after another, in order. Two ways of writing the
    sentence id are read:

    * every row carries the id of its sentence (as :func:`to_frame` writes);
    * only the first row of a sentence carries its id and the cells below
      it are empty (NaN, None or ``""``), as in the widely used Kaggle NER
      dataset (``ner_dataset.csv``: columns ``"Sentence #"``, ``"Word"``,
      ``"POS"``, ``"Tag"``, the id ``"Sentence: 1"`` on the first row of
      each sentence only).

    A change of id begins a sentence. Sentences come in the order of their
    first row, tokens in row order; other columns are ignored.

    Parameters
    ----------
    df : pandas.DataFrame
        The rows, one per token.
    sentence : str, default="sentence"
        Name of the sentence-id column.
    token : str, default="token"
        Name of the token column; every cell must be a non-empty str.
    tag : str or None, default="tag"
        Name of the tag column (str or int tags); None reads tokens only.

    Returns
    -------
    X : list of list of str
        One list of tokens per sentence.
    y : list of list
        One list of tags per sentence, aligned with ``X``; returned (as
        ``(X, y)``) only when ``tag`` is not None.

    Raises
    ------
    ValueError
        If a column is missing (the message lists the frame's columns), the
        frame has no row, the first row has no sentence id, a sentence id
        reappears after another sentence, or a token is missing (NaN) or
        empty; the message names the row.
    TypeError
        If ``df`` is not a DataFrame, a token is not a str, or a tag is
        missing or neither str nor int (or str and int tags are mixed).
    ImportError
        If pandas is not installed (``pip install "sktag[pandas]"``).

    See Also
    --------
    to_frame : The inverse: sentences to a frame.

    Notes
    -----
    ``pandas.read_csv`` turns cells such as ``NA``, ``null`` or ``nan`` into
    NaN, so a corpus with those words loses them; read such CSV files with
    ``keep_default_na=False, na_values={"Sentence #": [""]}`` (the Kaggle
    file also needs ``encoding="latin-1"``)::

        df = pd.read_csv("ner_dataset.csv", encoding="latin-1",
                         keep_default_na=False, na_values={"Sentence #": [""]})
        X, y = read_frame(df, sentence="Sentence #", token="Word", tag="Tag")

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Sentence #": ["Sentence: 1", None, None, "Sentence: 2"],
    ...                    "Word": ["Peter", "lives", "here", "Hi"],
    ...                    "Tag": ["B-per", "O", "O", "O"]})
    >>> read_frame(df, sentence="Sentence #", token="Word", tag="Tag")
    ([['Peter', 'lives', 'here'], ['Hi']], [['B-per', 'O', 'O'], ['O']])
    >>> read_frame(df, sentence="Sentence #", token="Word", tag=None)
    [['Peter', 'lives', 'here'], ['Hi']]
    """
    pd = _import_pandas()
    columns = {"sentence": sentence, "token": token}
    if tag is not None:
        columns["tag"] = tag
    _check_frame_columns(pd, df, columns)
    if len(df) == 0:
        raise ValueError("the data frame has no rows; expected one row per token.")
    row = _row_namer(pd, df)
    ids = df[sentence]
    starts = _sentence_starts(ids.to_numpy(dtype=object), ids.isna().to_numpy(), sentence, row)
    tokens = _frame_tokens(df[token].to_numpy(dtype=object), token, sentence, row)
    bounds = list(zip(starts, starts[1:] + [len(df)]))
    X = [tokens[a:b] for a, b in bounds]
    if tag is None:
        return X
    tags = _frame_tags(df[tag].to_numpy(dtype=object), tag, row)
    return X, [tags[a:b] for a, b in bounds]


def to_frame(
    X: Sequence, y: Sequence | None = None, *, sentence: str = "sentence",
    token: str = "token", tag: str = "tag",
) -> Any:
    """Put sentences into a pandas DataFrame with one row per token.

    The inverse of :func:`read_frame`: ``read_frame(to_frame(X, y))``
    returns ``(X, y)``. Every row carries the number of its sentence
    (0, 1, 2, ...).

    Parameters
    ----------
    X : list of list of str
        Tokens, one list per sentence; no sentence may be empty (a frame
        with one row per token has no row for it).
    y : list of list of (str or int), default=None
        Tags, one list per sentence, one tag per token; None writes no tag
        column.
    sentence : str, default="sentence"
        Name of the sentence-number column.
    token : str, default="token"
        Name of the token column.
    tag : str, default="tag"
        Name of the tag column.

    Returns
    -------
    df : pandas.DataFrame
        Columns ``sentence`` (int), ``token`` and, with ``y``, ``tag``; a
        default index.

    Raises
    ------
    ValueError
        If ``len(X[i]) != len(y[i])`` or a sentence is empty (the message
        names the sentence), or two columns get the same name.
    TypeError
        If a sentence is not a list of str tokens, or a tag is neither str
        nor int (tags follow the estimator's rule).
    ImportError
        If pandas is not installed (``pip install "sktag[pandas]"``).

    Examples
    --------
    >>> df = to_frame([["Peter", "lives"], ["Hi"]], [["B-PER", "O"], ["O"]])
    >>> df
       sentence  token    tag
    0         0  Peter  B-PER
    1         0  lives      O
    2         1     Hi      O
    >>> read_frame(df)
    ([['Peter', 'lives'], ['Hi']], [['B-PER', 'O'], ['O']])
    """
    pd = _import_pandas()
    names = [sentence, token] if y is None else [sentence, token, tag]
    if len(set(names)) < len(names):
        raise ValueError(
            f"sentence={sentence!r}, token={token!r} and tag={tag!r} must be distinct "
            "column names."
        )
    container = "a frame with one row per token"
    if y is None:
        sentences, labels = _check_tokens(X, container), None
    else:
        sentences, labels = _check_pairs(X, y, container)
    lengths = [len(tokens) for tokens in sentences]
    data = {
        sentence: np.repeat(np.arange(len(sentences), dtype=np.int64), lengths),
        token: [t for tokens in sentences for t in tokens],
    }
    if labels is not None:
        data[tag] = [label for seq in labels for label in seq]
    return pd.DataFrame(data)
