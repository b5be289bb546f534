"""CoNLL-U: the ten-column format of Universal Dependencies, read, written and filled.

The readers take the FORM column as tokens and one other column as labels
and skip comments, multiword-token ranges (``3-4``) and empty nodes
(``5.1``); :func:`fill_conllu` writes a file again with one column filled
and everything else kept, as ``sktag predict`` does.

Design note: sktag parses CoNLL-U itself instead of using the ``conllu``
package.  Token tagging needs two columns of each word line; a direct
line-by-line split is about 30 lines, streams in constant memory, is several
times faster than building ``conllu``'s full ``TokenList`` objects (which also
parse FEATS, MISC and DEPS into dicts), and lets every error point at the
exact file line -- and it keeps sktag free of one more dependency.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..validation import check_labels
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

__all__ = ["CONLLU_COLUMNS", "fill_conllu", "iter_conllu", "read_conllu", "write_conllu"]

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

#: CoNLL-U columns that hold one value per word, where ``_`` means "no
#: value": read as labels, ``_`` is an error (the wrong column, or a file
#: not annotated yet); in FEATS, DEPS and MISC ``_`` is a value (none).
_VALUED_COLUMNS = frozenset({"upos", "xpos", "head", "deprel"})


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


def _word_id_message(word_id: str, expected: int) -> str:
    """Say what is wrong with a word ID that is not the next one of its sentence."""
    if expected > 1 and len(word_id) < 10 and int(word_id) < expected:
        hint = ("a blank line is missing before this line, which begins a new sentence"
                if word_id == "1" else f"ID {word_id} is already taken")
        return (f"word ID {word_id} after word {expected - 1}: the word IDs of a sentence "
                f"count 1, 2, 3, ...; {hint}?")
    return (f"expected word ID {expected}, found {shorten(word_id, 20)}: the word IDs of a "
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
    for lineno, line in clean_lines(name, lines):
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
            raise DataFormatError(name, lineno, f"invalid word ID {shorten(word_id, 20)}")
        block.append((lineno, line, fields, is_word))
    if block:
        yield block


def _no_value_message(col: int, fields: Sequence[str]) -> str:
    """The message for a ``_`` read as a label from a column where it means no value."""
    column = CONLLU_COLUMNS[col].upper()
    return (
        f"word {fields[0]} ({shorten(fields[1])}) has no {column} ('_'), the column read "
        f"as labels (tag={CONLLU_COLUMNS[col]!r}); name the column that holds the labels "
        "(tag=, or --tag in sktag commands), or annotate the file first. To read the tokens "
        "of a file not annotated yet, use tag=None."
    )


def _conllu_label(value: Any, col: int, i: int, j: int) -> str:
    """Check a label a writer puts into column ``col``: the rule the reader applies."""
    text = check_field(value, "label", i, j, "\t\n\r")
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
    with open_lines(source, encoding) as (name, lines):
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
    X, y = ([], []) if no_sentences(X, y) else check_pairs(X, y)
    # Validate everything before opening the target so a bad input leaves no partial file.
    rows = []
    for i, (tokens, labels) in enumerate(zip(X, y)):
        sent = []
        for j, (tok, lab) in enumerate(zip(tokens, labels)):
            tok = check_field(tok, "token", i, j, "\t\n\r")
            fields = [str(j + 1), tok] + ["_"] * 8
            fields[col] = _conllu_label(lab, col, i, j)
            sent.append("\t".join(fields))
        rows.append(sent)
    with open_for_writing(path_or_file) as f:
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
    with open_lines(template, encoding) as (name, lines):
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
    with open_for_writing(path_or_file) as f:
        for rows in out:
            f.write("\n".join(rows))
            f.write("\n\n")
