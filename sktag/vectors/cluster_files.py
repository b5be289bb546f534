"""Reading Brown clusters: Liang's ``paths`` file and spaCy's JSON tables."""

from __future__ import annotations

import json
import os
import re
from array import array
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..io.lines import DataFormatError, clean_lines, open_lines, shorten
from .clusters import WordClusters, brown_paths_from_ints, is_brown_path
from .lexicon import check_words, duplicate_word_error
from .sources import DECOMPRESSION_ERRORS, decompression_error, open_binary

__all__ = ["MAX_JSON_BYTES", "as_word_clusters", "read_word_clusters"]

#: The most bytes a JSON cluster table may hold once decompressed (spaCy's
#: English table holds 17 MB); a larger one is refused after reading this many.
MAX_JSON_BYTES = 1 << 26

_JSON_NAME = re.compile(r"\.json(\.gz)?$", re.IGNORECASE)
_COUNT = re.compile(r"\d{1,18}")


def read_word_clusters(path: Any) -> WordClusters:
    """Read Brown clusters: Liang's ``paths`` file or a spaCy JSON table.

    Parameters
    ----------
    path : str, os.PathLike, text file object or iterable of str lines
        A path ending in ``.json`` or ``.json.gz`` (any case), or whose
        first character is ``{``, is a JSON object mapping each word to its
        cluster: spaCy v2's integer (``spacy-lookups-data``'s
        ``<lang>_lexeme_cluster.json.gz``), decoded by
        :func:`~sktag.vectors.brown_paths_from_ints`, whose words of cluster
        0, spaCy's "no cluster", are left out; or a path str. Anything else
        is a ``paths`` file of Percy Liang's ``brown-cluster`` (``wcluster``):
        a ``path<TAB>word<TAB>count`` line per word (the count may be
        missing). A path ending in ``.gz`` is read gzip-compressed.

    Returns
    -------
    WordClusters
        A ``paths`` file's words most frequent first (by count, ties in file
        order); a JSON table's in its order.

    Raises
    ------
    DataFormatError
        A malformed file; the message starts with ``"<file>:<line>: "``: a
        line without two or three tab-separated fields, a path that is not
        a string of 0 and 1, a count that is not an int, a duplicate word,
        an empty file, JSON that does not parse or does not map words to
        clusters, more than :data:`MAX_JSON_BYTES` of JSON.

    Examples
    --------
    >>> wc = read_word_clusters(["0110\\tcat\\t7", "0111\\tdog\\t9", "10\\tran\\t3"])
    >>> wc.words, wc.paths
    (('dog', 'cat', 'ran'), ('0111', '0110', '10'))
    """
    if isinstance(path, (str, os.PathLike)):
        name = os.fsdecode(os.fspath(path))
        if _JSON_NAME.search(name) or _starts_with_brace(path):
            return _read_json(path)
    return _read_paths_file(path)


def _starts_with_brace(path: Any) -> bool:
    try:
        _, f, _ = open_binary(path)
        with f:
            return f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except (OSError, *DECOMPRESSION_ERRORS):
        return False  # the paths reader reports it, naming the line


def _read_paths_file(source: Any) -> WordClusters:
    with open_lines(source) as (name, lines):
        words: list[str] = []
        paths: list[str] = []
        counts: list[int] = []
        index: dict[str, int] = {}
        linenos = array("q")
        lineno = 0
        for lineno, line in clean_lines(name, lines):
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) not in (2, 3):
                raise DataFormatError(name, lineno, f"expected 'path<TAB>word<TAB>count' (a Brown "
                                      f"clusters paths file), found {len(fields)} tab-separated "
                                      f"field{'s' if len(fields) > 1 else ''} in {shorten(line)}")
            path, word = fields[0], fields[1]
            if not is_brown_path(path):
                raise DataFormatError(name, lineno, f"the cluster path {shorten(path)} of "
                                      f"{shorten(word)} is not a string of 0 and 1")
            if not word:
                raise DataFormatError(name, lineno, "the word (the second field) is empty")
            count = 0
            if len(fields) == 3:
                if not _COUNT.fullmatch(fields[2]):
                    raise DataFormatError(name, lineno, f"the count {shorten(fields[2])} of "
                                          f"{shorten(word)} is not an int >= 0")
                count = int(fields[2])
            first = index.setdefault(word, len(words))
            if first != len(words):
                raise duplicate_word_error(name, lineno, word, linenos[first])
            words.append(word)
            paths.append(path)
            counts.append(count)
            linenos.append(lineno)
    if not words:
        raise DataFormatError(name, max(lineno, 1), "the file is empty: expected Brown clusters, "
                              "a 'path<TAB>word<TAB>count' line per word")
    order = sorted(range(len(words)), key=counts.__getitem__, reverse=True)  # stable: ties kept
    return WordClusters([words[i] for i in order], [paths[i] for i in order])


def _read_json(path: Any) -> WordClusters:
    name, f, owned = open_binary(path)
    try:
        data = f.read(MAX_JSON_BYTES + 1)
    except DECOMPRESSION_ERRORS as exc:
        raise decompression_error(name, 1, exc) from None
    finally:
        if owned:
            f.close()
    if len(data) > MAX_JSON_BYTES:
        raise DataFormatError(name, data.count(b"\n") + 1, f"more than {MAX_JSON_BYTES:,} bytes "
                              "of JSON (sktag.vectors.MAX_JSON_BYTES): too large for a table of "
                              "word clusters")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFormatError(name, data.count(b"\n", 0, exc.start) + 1,
                              f"bytes {data[exc.start:exc.start + 8]!r} cannot be decoded; JSON "
                              "must be UTF-8") from None
    del data
    if not text.strip():
        raise DataFormatError(name, 1, "the file is empty: expected a JSON object mapping words "
                              "to Brown clusters")
    try:
        table = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError(name, exc.lineno, f"not valid JSON: {exc.msg} (column "
                              f"{exc.colno})") from None
    except RecursionError:
        raise DataFormatError(name, 1, "not a table of word clusters: the JSON nests too "
                              "deeply") from None
    if not isinstance(table, dict):
        raise DataFormatError(name, 1, f"the JSON is a {type(table).__name__}; expected an "
                              "object mapping words to Brown clusters")
    return _from_mapping(table, name, text)


def _from_mapping(table: Mapping, name: str | None = None, text: str | None = None) -> WordClusters:
    """WordClusters from ``{word: path str or spaCy int}``: the ints decoded
    together, their 0s (no cluster) left out.

    A bad entry raises ValueError, or for the ``text`` of a JSON file
    ``name``, DataFormatError naming the entry's line.
    """
    def bad(word, problem):
        if text is None:
            return ValueError(problem)
        at = text.find(json.dumps(word) + ":")
        if at < 0:
            at = text.find(json.dumps(word, ensure_ascii=False) + ":")
        return DataFormatError(name, text.count("\n", 0, max(at, 0)) + 1, problem)

    words, values = list(table), list(table.values())
    ints = [isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values]
    for word, value, is_int in zip(words, values, ints):
        if not isinstance(word, str) or not word:
            raise bad(word, f"the word {word!r} is not a non-empty str")
        if (is_int and value < 0) or (not is_int and not is_brown_path(value)):
            raise bad(word, f"the cluster of {shorten(word)} is {value!r}; expected a path of 0 "
                            "and 1 (a str) or spaCy's int encoding of one (an int >= 0)")
    if any(ints):
        decoded = iter(brown_paths_from_ints(v for v, is_int in zip(values, ints) if is_int))
        values = [next(decoded) if is_int else v for v, is_int in zip(values, ints)]
    kept = [(word, path) for word, path in zip(words, values) if path is not None]
    if not kept:
        problem = "no word has a cluster (spaCy's cluster 0 means none)"
        raise ValueError(problem) if text is None else DataFormatError(name, 1, problem)
    return WordClusters([word for word, _ in kept], [path for _, path in kept])


def as_word_clusters(obj: Any) -> WordClusters:
    """Turn what a user holds into :class:`~sktag.vectors.WordClusters`.

    Parameters
    ----------
    obj : WordClusters, str, os.PathLike, dict or (words, paths)
        A :class:`~sktag.vectors.WordClusters` (returned as is); the path of
        a clusters file (:func:`read_word_clusters`); a dict mapping each
        word to its path (a str of 0 and 1) or to spaCy v2's int encoding of
        one (:func:`~sktag.vectors.brown_paths_from_ints`; words of cluster
        0 are left out); a pair ``(words, paths)`` of the same.

    Returns
    -------
    WordClusters

    Raises
    ------
    TypeError
        ``obj`` is none of these.

    Examples
    --------
    >>> as_word_clusters({"the": "00", "cat": "110"}).paths
    ('00', '110')
    >>> as_word_clusters((["the", "cat", "?"], [4, 3, 0])).paths  # spaCy's ints
    ('001', '11')
    """
    if isinstance(obj, WordClusters):
        return obj
    if isinstance(obj, (str, os.PathLike)):
        return read_word_clusters(obj)
    if isinstance(obj, Mapping):
        if not obj:
            raise ValueError("the dict of word clusters is empty: expected at least one word")
        return _from_mapping(obj)
    if isinstance(obj, (tuple, list)) and len(obj) == 2 and not isinstance(obj[0], str):
        words, _ = check_words(obj[0])
        paths = tuple(obj[1])
        if len(paths) != len(words):
            raise ValueError(f"there are {len(words)} words but {len(paths)} paths; give one "
                             "path per word")
        return _from_mapping(dict(zip(words, paths)))
    raise TypeError(
        "expected word clusters: a WordClusters, the path of a clusters file (Brown 'paths' or "
        f"spaCy JSON), a dict word -> path, or a (words, paths) pair; got {type(obj).__name__}")
