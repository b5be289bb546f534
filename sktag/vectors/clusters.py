"""Brown word clusters: words and the bit-string paths of their clusters."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..io.lines import shorten
from .lexicon import Lexicon, check_words

__all__ = ["WordClusters", "brown_paths_from_ints", "is_brown_path", "path_prefix"]

_PATH = re.compile(r"[01]+")


def is_brown_path(path: Any) -> bool:
    """True for a Brown cluster path: a non-empty str of ``0`` and ``1``."""
    return isinstance(path, str) and _PATH.fullmatch(path) is not None


def path_prefix(path: str, length: int) -> str:
    """The first ``length`` bits of a Brown path; a shorter path is its own prefix.

    The rule of Ratinov & Roth (2009) and Turian et al. (2010): the prefixes
    of a few lengths group words by ever larger clusters of the hierarchy.

    >>> path_prefix("0110101", 4), path_prefix("01", 4)
    ('0110', '01')
    """
    return path[:length]


def brown_paths_from_ints(values: Iterable[int]) -> list[str | None]:
    """Decode spaCy v2's integer Brown clusters into bit-string paths.

    spaCy v2 (``spacy init-model``, and so ``spacy-lookups-data``'s
    ``<lang>_lexeme_cluster`` tables) stored a path as ``int(path[::-1], 2)``:
    the path's first bit is the integer's lowest, so that ``cluster & 15`` is
    the 4-bit prefix, and the path's trailing zeros are lost. They are
    restored here from the hierarchy: a cluster's path is its bits followed
    by the fewest zeros that make it the prefix of no other cluster's bits.
    That is the true path when the clusters given are all those of a Brown
    hierarchy, a full binary tree (spaCy's English, German and Spanish
    tables decode to prefix-free paths whose 2^-length sum to exactly 1,
    such a tree). From only some of a hierarchy's clusters a path may come
    out shorter than the true one, which groups words by prefix exactly as
    the true paths do.

    0 is spaCy's value for a word without a reliable cluster (seen fewer
    than 3 times, or not clustered); it decodes to None. (The words of the
    hierarchy's all-zeros leaf, whose integer is 0 too, cannot be told from
    them.)

    Parameters
    ----------
    values : iterable of int
        spaCy cluster values, ``>= 0``; decoded together, as they depend on
        one another.

    Returns
    -------
    list of str or None
        The path of each value, None for 0.

    Examples
    --------
    The four leaves ``00``, ``01``, ``10`` and ``11`` of a tree of depth 2:

    >>> [int(path[::-1], 2) for path in ("00", "01", "10", "11")]
    [0, 2, 1, 3]
    >>> brown_paths_from_ints([0, 2, 1, 3])
    [None, '01', '10', '11']
    """
    values = list(values)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{value!r} is not a spaCy cluster: expected an int >= 0")
    bits = {int(value): format(int(value), "b")[::-1] for value in values if value}
    prefixes = set()
    for path in bits.values():
        prefixes.update(path[:i] for i in range(len(path)))  # the proper prefixes
    decoded = {}
    for value, path in bits.items():
        while path in prefixes:
            path += "0"
        decoded[value] = path
    return [decoded.get(int(value)) for value in values]


class WordClusters(Lexicon):
    """Words and their Brown cluster paths, most frequent first where known.

    Parameters
    ----------
    words : sequence of str
        Unique, non-empty words.
    paths : sequence of str
        The bit-string path (``"0110..."``) of each word's cluster in the
        Brown hierarchy, from the root (whose children are ``"0"`` and
        ``"1"``).

    Attributes
    ----------
    words : tuple of str
    paths : tuple of str
        ``paths[i]`` is the cluster path of ``words[i]``.
    index : dict
        Each word's position.

    Notes
    -----
    Tokens are looked up under :meth:`lookup_key`, with the convention of
    :class:`WordVectors`: a table of cased words, as spaCy's, is looked up
    as the tokens are. Immutable: ``copy.deepcopy`` and
    :func:`sklearn.base.clone` return the object itself.

    Examples
    --------
    >>> wc = WordClusters(["the", "a", "cat"], ["00", "01", "110"])
    >>> wc, wc.path("cat")
    (WordClusters(3 words, 3 clusters), '110')
    >>> wc.prefixes((1, 2))
    {1: ('0', '0', '1'), 2: ('00', '01', '11')}
    """

    __slots__ = ("paths",)
    _state = ("words", "paths")

    def __init__(self, words: Sequence[str], paths: Sequence[str]) -> None:
        words, index = check_words(words)
        if isinstance(paths, (str, bytes)) or not isinstance(paths, Iterable):
            raise TypeError(f"paths must be a sequence of str, got {type(paths).__name__}")
        paths = tuple(paths)
        if len(paths) != len(words):
            raise ValueError(f"there are {len(words)} words but {len(paths)} paths; give one "
                             "path per word")
        for i, path in enumerate(paths):
            if not is_brown_path(path):
                raise ValueError(f"paths[{i}] (of {shorten(words[i])}) is {path!r}; a Brown "
                                 "cluster path is a non-empty str of '0' and '1'")
        self._freeze(index, words=words, paths=paths)

    def path(self, word: str, default: Any = None) -> Any:
        """The cluster path of ``word`` (as given: see :meth:`lookup_key`), or ``default``."""
        i = self.index.get(word)
        return default if i is None else self.paths[i]

    def prefixes(self, lengths: Sequence[int] = (4, 6, 10, 20)) -> dict[int, tuple[str, ...]]:
        """Each word's path prefix of each length (:func:`path_prefix`).

        Parameters
        ----------
        lengths : sequence of int, default=(4, 6, 10, 20)
            The prefix lengths, those of Ratinov & Roth (2009).

        Returns
        -------
        dict
            ``{length: prefixes}``, ``prefixes[i]`` the prefix of
            ``paths[i]``; a path shorter than ``length`` is its own prefix.
        """
        for length in lengths:
            if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1:
                raise ValueError(f"prefix lengths must be ints >= 1, got {length!r}")
        return {int(length): tuple(path_prefix(path, int(length)) for path in self.paths)
                for length in lengths}

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, WordClusters):
            return NotImplemented
        return self.words == other.words and self.paths == other.paths

    def __hash__(self) -> int:
        return hash((type(self).__name__, len(self.words), self.words[0], self.paths[0]))

    def __repr__(self) -> str:
        n, k = len(self.words), len(set(self.paths))
        return f"{type(self).__name__}({n} word{'s' * (n != 1)}, {k} cluster{'s' * (k != 1)})"
