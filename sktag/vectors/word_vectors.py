"""Word vectors: words and a float32 matrix, one row per word."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..io.lines import shorten
from .lexicon import Lexicon, check_words

__all__ = ["MAX_DIM", "WordVectors", "not_finite_reason"]

#: The largest vector dimension sktag accepts (a file's header or first row
#: announcing more is refused before anything is allocated).
MAX_DIM = 1 << 16


def not_finite_reason(value: Any) -> str:
    """Why ``value``, a number of a vector, is refused: NaN or infinite, or
    finite but too large for float32."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if math.isfinite(number):
        return ("too large for float32, in which vectors are kept (at most 3.4e+38); "
                "vectors must be finite")
    return "not a finite number; vectors must be finite (no NaN or infinity)"


class WordVectors(Lexicon):
    """Words and a float32 matrix, one row per word, most frequent first (file order).

    Parameters
    ----------
    words : sequence of str
        Unique, non-empty words.
    vectors : array-like of shape (n_words, dim)
        Finite numbers, ``1 <= dim <= MAX_DIM``. Kept as a read-only
        C-contiguous float32 array: a copy, unless ``vectors`` is already
        such an array that owns its data (as the readers' results are).

    Attributes
    ----------
    words : tuple of str
        The words, in the given order.
    vectors : ndarray of shape (n_words, dim), float32
        Row ``i`` is the vector of ``words[i]``; read-only.
    index : dict
        Each word's row.

    Notes
    -----
    Tokens are looked up under :meth:`lookup_key`: lowercased when no word
    changes under ``str.lower`` (:attr:`lowercase`; GloVe 6B's 400,000 words
    are lowercased), digits replaced by 0 when the words hold the digit 0
    and no other (:attr:`zero_digits`), as they are otherwise. The object is
    immutable; ``copy.deepcopy`` and :func:`sklearn.base.clone` return it
    itself, pickling keeps its words and matrix.

    Examples
    --------
    >>> wv = WordVectors(["the", "cat"], [[0.5, 1.0], [0.0, -1.0]])
    >>> wv, wv.dim, "cat" in wv
    (WordVectors(2 words x 2), 2, True)
    >>> wv.lookup_key("Cat"), wv.vectors[wv.index["cat"]].tolist()
    ('cat', [0.0, -1.0])
    """

    __slots__ = ("vectors",)
    _state = ("words", "vectors")

    def __init__(self, words: Sequence[str], vectors: Any) -> None:
        words, index = check_words(words)
        given = np.asarray(vectors)
        if given.dtype.kind not in "biuf":
            raise TypeError(f"vectors must be an array of numbers, got dtype {given.dtype}")
        if given.ndim != 2:
            raise ValueError(f"vectors must be a 2-D array of shape (n_words, dim), got shape "
                             f"{given.shape}")
        if given.shape[0] != len(words):
            raise ValueError(f"there are {len(words)} words but {given.shape[0]} vectors; give "
                             "one vector (row) per word")
        if not 1 <= given.shape[1] <= MAX_DIM:
            raise ValueError(f"vectors have {given.shape[1]} dimensions; expected 1 to "
                             f"{MAX_DIM:,} (sktag.vectors.MAX_DIM)")
        owned = (given.dtype == np.float32 and given.flags.c_contiguous and given.flags.owndata
                 and not given.flags.writeable)
        if owned:
            matrix = given
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # overflow is reported below
                matrix = np.array(given, dtype=np.float32, order="C", copy=True)
        finite = np.isfinite(matrix).all(axis=1)
        if not finite.all():
            i = int(np.argmin(finite))
            value = float(given[i][~np.isfinite(matrix[i])][0])
            raise ValueError(f"the vector of words[{i}] {shorten(words[i])} holds {value!r}, "
                             f"{not_finite_reason(value)}")
        self._freeze(index, words=words, vectors=matrix)

    @property
    def dim(self) -> int:
        """int: the number of dimensions of each vector."""
        return self.vectors.shape[1]

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, WordVectors):
            return NotImplemented
        return self.words == other.words and np.array_equal(self.vectors, other.vectors)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.vectors.shape, self.words[0]))

    def __repr__(self) -> str:
        n = len(self.words)
        return f"{type(self).__name__}({n} word{'s' * (n != 1)} x {self.dim})"
