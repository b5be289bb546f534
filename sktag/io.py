"""Read and write token-tagging corpora: CoNLL-U and IOB / CoNLL-2003 files.

Every reader returns data in sktag's convention: ``X`` is a list of
sentences, each a list of ``str`` tokens, and ``y`` is a list of label lists
with one label per token.  The ``iter_*`` variants are generators yielding one
``(tokens, labels)`` pair per sentence, so corpora far larger than memory can
be streamed.

Readers accept a path (``str`` or :class:`os.PathLike`), an already-open text
file object, or any iterable of lines.  Files are decoded as UTF-8 (a leading
byte-order mark is ignored) and read line by line; ``\\n`` and ``\\r\\n``
line endings both work.  Paths ending in ``.gz`` are read and written
gzip-compressed.  A malformed line raises :class:`DataFormatError`
whose message starts with ``"<file>:<line>: "``.

Writers accept a path or a writable text file object and produce files the
readers read back unchanged: ``read_conllu(write_conllu(X, y)) == (X, y)``
for string labels.

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
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = [
    "CONLLU_COLUMNS",
    "DataFormatError",
    "iter_conllu",
    "iter_iob",
    "read_conllu",
    "read_iob",
    "read_text",
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
        opener = gzip.open if name.endswith(".gz") else open
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


def _clean_lines(name: str, lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Yield ``(lineno, line)`` with line endings and a leading BOM removed."""
    for lineno, line in enumerate(lines, start=1):
        if not isinstance(line, str):
            raise DataFormatError(
                name, lineno, f"expected a str line, got {type(line).__name__} "
                "(open the file in text mode)"
            )
        undecodable = _UNDECODABLE.search(line)
        if undecodable:
            raise DataFormatError(name, lineno, _undecodable_message(line, undecodable.start()))
        if lineno == 1 and line.startswith("\ufeff"):
            line = line[1:]
        yield lineno, line.rstrip("\r\n")


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
        if os.fsdecode(target).endswith(".gz"):
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


def _check_pairs(X: Sequence, y: Sequence) -> None:
    """Check that X and y are aligned sentence by sentence (before writing anything)."""
    if isinstance(X, str) or isinstance(y, str):
        raise TypeError("X and y must be lists of sentences, not a single string")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} sentences but y has {len(y)}")
    for i, (tokens, labels) in enumerate(zip(X, y)):
        if isinstance(tokens, str):
            raise TypeError(f"sentence {i}: tokens must be a list of str, not a single str")
        if len(tokens) != len(labels):
            raise ValueError(
                f"sentence {i}: {len(tokens)} tokens but {len(labels)} labels"
            )
        if len(tokens) == 0:
            raise ValueError(f"sentence {i} is empty; the file format cannot represent it")


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


def iter_conllu(
    path: Any, tag: str = "upos", *, encoding: str = "utf-8"
) -> Iterator[tuple[list[str], list[str]]]:
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
    tag : str, default="upos"
        Name of the column holding the labels, case-insensitive: one of
        ``id, form, lemma, upos, xpos, feats, head, deprel, deps, misc``.
    encoding : str, default="utf-8"
        Text encoding of a path (ignored for open files and lines). Bytes
        that are not valid in it raise :class:`DataFormatError` naming the
        line and the bytes.

    Yields
    ------
    tokens : list of str
        The FORM column of the sentence's words.
    labels : list of str
        The ``tag`` column of the same words.

    Raises
    ------
    ValueError
        If ``tag`` is not a CoNLL-U column name (raised at the call, before
        any reading).
    DataFormatError
        If a line does not have 10 tab-separated columns or a word line's ID
        is not an integer; raised when the generator reaches that line.

    See Also
    --------
    read_conllu : Read the whole file into ``(X, y)``.

    Examples
    --------
    >>> lines = ["# text = Hi there", "1\\tHi\\thi\\tINTJ\\tUH\\t_\\t0\\troot\\t_\\t_",
    ...          "2\\tthere\\tthere\\tADV\\tRB\\t_\\t1\\tadvmod\\t_\\t_", ""]
    >>> list(iter_conllu(lines))
    [(['Hi', 'there'], ['INTJ', 'ADV'])]
    """
    col = _column_index(tag)  # validated now, not at the first next()
    codecs.lookup(encoding)  # an unknown encoding: LookupError now
    return _iter_conllu(path, col, encoding)


def _iter_conllu(source: Any, col: int, encoding: str) -> Iterator[tuple[list[str], list[str]]]:
    with _open_lines(source, encoding) as (name, lines):
        tokens: list[str] = []
        labels: list[str] = []
        for lineno, line in _clean_lines(name, lines):
            if not line.strip():
                if tokens:
                    yield tokens, labels
                    tokens, labels = [], []
                continue
            if line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 10:
                raise DataFormatError(
                    name, lineno,
                    f"expected 10 tab-separated columns, found {len(fields)}",
                )
            word_id = fields[0]
            if not _is_word_id(word_id):
                if _is_skipped_id(word_id):
                    continue  # multiword token or empty node: not a tagging token
                raise DataFormatError(name, lineno, f"invalid word ID {word_id!r}")
            tokens.append(fields[1])
            labels.append(fields[col])
        if tokens:
            yield tokens, labels


def read_conllu(
    path: Any, tag: str = "upos", *, encoding: str = "utf-8"
) -> tuple[list[list[str]], list[list[str]]]:
    """Read a CoNLL-U file into tokens and labels.

    Parameters
    ----------
    path : str, os.PathLike, text file object or iterable of str
        The file to read; see :func:`iter_conllu`.
    tag : str, default="upos"
        Name of the label column, case-insensitive (``"upos"``, ``"xpos"``,
        ``"deprel"``, ... any of the ten CoNLL-U columns).
    encoding : str, default="utf-8"
        Text encoding of a path; see :func:`iter_conllu`.

    Returns
    -------
    X : list of list of str
        One list of tokens (FORM) per sentence.
    y : list of list of str
        One list of labels per sentence, aligned with ``X``.

    Raises
    ------
    ValueError
        If ``tag`` is not a CoNLL-U column name.
    DataFormatError
        If a line is malformed; the message names the file and line.

    Examples
    --------
    >>> X, y = read_conllu(["1\\tHi\\thi\\tINTJ\\tUH\\t_\\t0\\troot\\t_\\t_"], tag="xpos")
    >>> X, y
    ([['Hi']], [['UH']])
    """
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
    returns ``(X, y)`` (labels as ``str``).

    Parameters
    ----------
    path_or_file : str, os.PathLike or writable text file object
        Where to write.  A path is created or overwritten (UTF-8, ``\\n``
        line endings, gzip-compressed if it ends in ``.gz``); a file object
        is written to and left open.
    X : list of list of str
        Tokens, one list per sentence.
    y : list of list
        Labels, one list per sentence, one label per token; non-str labels
        are written with ``str()``.
    tag : str, default="upos"
        Column that receives the labels; any CoNLL-U column except ``id``
        and ``form``.

    Raises
    ------
    ValueError
        If ``len(X[i]) != len(y[i])`` (the message names sentence ``i``), a
        sentence is empty, a token or label is empty or contains a tab or a
        newline, or ``tag`` is not a usable column.  Nothing is written then.

    Examples
    --------
    >>> import io
    >>> f = io.StringIO()
    >>> write_conllu(f, [["Hi", "there"]], [["INTJ", "ADV"]])
    >>> f.getvalue().splitlines()[1].split("\\t")
    ['2', 'there', '_', 'ADV', '_', '_', '_', '_', '_', '_']
    """
    col = _column_index(tag)
    if col < 2:
        raise ValueError(f"cannot write labels into the {CONLLU_COLUMNS[col].upper()} column")
    _check_pairs(X, y)
    # Validate everything before opening the target so a bad input leaves no partial file.
    rows = []
    for i, (tokens, labels) in enumerate(zip(X, y)):
        sent = []
        for j, (tok, lab) in enumerate(zip(tokens, labels)):
            tok = _check_field(tok, "token", i, j, "\t\n\r")
            lab = _check_field(lab, "label", i, j, "\t\n\r")
            fields = [str(j + 1), tok] + ["_"] * 8
            fields[col] = lab
            sent.append("\t".join(fields))
        rows.append(sent)
    with _opened_for_writing(path_or_file) as f:
        for sent in rows:
            f.write("\n".join(sent))
            f.write("\n\n")


# --------------------------------------------------------------------------
# IOB / CoNLL-2003


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
        Lines starting with this string are comments when they come before
        the first token of a sentence (where CoNLL-U / UNER put them); a
        ``#`` line inside a sentence is a token.  ``None`` disables comments.
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
        token line of the file, or too few columns for ``token_col`` and
        ``tag_col``; raised when the generator reaches that line.

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
            if comment_prefix and not tokens and line.startswith(comment_prefix):
                continue
            if line.split(None, 1)[0] == _DOCSTART:
                continue  # CoNLL-2003 document separator
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
            tokens.append(fields[token_col])
            labels.append(fields[tag_col])
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
        Prefix of comment lines at the start of a sentence; ``None``
        disables comments.
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
    returns ``(X, y)`` again (labels as ``str``), except that a sentence
    whose first token starts with ``#`` reads back as a comment unless it
    is read with ``comment_prefix=None``.

    Parameters
    ----------
    path_or_file : str, os.PathLike or writable text file object
        Where to write.  A path is created or overwritten (UTF-8, ``\\n``
        line endings, gzip-compressed if it ends in ``.gz``); a file object
        is written to and left open.
    X : list of list of str
        Tokens, one list per sentence.
    y : list of list
        Tags, one list per sentence, one tag per token; non-str tags are
        written with ``str()``.
    sep : str, default="\\t"
        Column separator.

    Raises
    ------
    ValueError
        If ``len(X[i]) != len(y[i])`` (the message names sentence ``i``), a
        sentence is empty, or a token or tag is empty or contains ``sep``,
        a tab or a newline (it could not be read back).  Nothing is written
        then.

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
    _check_pairs(X, y)
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
            sent.append(f"{tok}{sep}{lab}")
        rows.append(sent)
    with _opened_for_writing(path_or_file) as f:
        for sent in rows:
            f.write("\n".join(sent))
            f.write("\n\n")
