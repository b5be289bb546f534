"""pandas data frames with one row per token, to and from sktag's ``(X, y)``.

The long layout of tabular tools, including the Kaggle NER CSV, where only
the first row of a sentence carries its id (pandas is optional:
``pip install "sktag[pandas]"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..validation import describe_value, label_kind
from .lines import check_pairs, check_tokens

__all__ = ["read_frame", "to_frame"]


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
        sentences, labels = check_tokens(X, container), None
    else:
        sentences, labels = check_pairs(X, y, container)
    lengths = [len(tokens) for tokens in sentences]
    data = {
        sentence: np.repeat(np.arange(len(sentences), dtype=np.int64), lengths),
        token: [t for tokens in sentences for t in tokens],
    }
    if labels is not None:
        data[tag] = [label for seq in labels for label in seq]
    return pd.DataFrame(data)
