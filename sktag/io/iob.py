"""IOB / CoNLL-2003 column files: one token per line, columns split by a separator.

Universal NER's ``.iob2`` files and CoNLL-2003's four columns are read with
:func:`read_iob` (``token_col`` and ``tag_col`` pick the columns);
:func:`write_iob` writes ``token<sep>tag`` lines that read back unchanged.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Sequence
from typing import Any

from .lines import (
    DataFormatError,
    check_field,
    check_pairs,
    clean_lines,
    no_sentences,
    open_for_writing,
    open_lines,
    shorten,
)

__all__ = ["iter_iob", "read_iob", "write_iob"]

_DOCSTART = "-DOCSTART-"


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
    with open_lines(source, encoding) as (name, lines):
        tokens: list[str] = []
        labels: list[str] = []
        n_cols: int | None = None  # column count fixed by the first token line
        first_line = 0
        split_ws = False  # sep=None detected as "any whitespace"
        for lineno, line in clean_lines(name, lines):
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
    X, y = ([], []) if no_sentences(X, y) else check_pairs(X, y)
    forbidden = "".join(dict.fromkeys("\t\n\r" + sep))
    # A whitespace separator other than tab is read back by splitting on any
    # whitespace, so tokens and tags must not contain any.
    no_ws = sep != "\t" and sep.isspace()
    rows = []
    for i, (tokens, labels) in enumerate(zip(X, y)):
        sent = []
        for j, (tok, lab) in enumerate(zip(tokens, labels)):
            tok = check_field(tok, "token", i, j, forbidden, no_ws)
            lab = check_field(lab, "label", i, j, forbidden, no_ws)
            line = f"{tok}{sep}{lab}"
            skipped = _skipped_iob_line(line, "#", j == 0)
            if skipped:
                fix = ("write with sep='\\t'" if skipped == "a comment" else
                       "leave the token out or change it")
                raise ValueError(
                    f"sentence {i}, token {j}: the line {shorten(line)} would read back as "
                    f"{skipped}, not as a token; {fix}"
                )
            sent.append(line)
        rows.append(sent)
    with open_for_writing(path_or_file) as f:
        for sent in rows:
            f.write("\n".join(sent))
            f.write("\n\n")
