"""What word vectors and word clusters share: words, their index, the lookup convention.

:class:`Lexicon` is the base of :class:`~sktag.vectors.WordVectors` and
:class:`~sktag.vectors.WordClusters`: an immutable value (``copy.deepcopy``
returns it, pickling keeps only its data) whose tokens are looked up under
:meth:`Lexicon.lookup_key`. :func:`check_words` is the rule for its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..io.lines import DataFormatError, shorten

__all__ = ["Lexicon", "check_words", "duplicate_word_error"]

_OTHER_DIGIT = re.compile(r"(?!0)\d")
_DIGIT = re.compile(r"\d")


def check_words(words: Any) -> tuple[tuple[str, ...], dict[str, int]]:
    """``words`` as a tuple of unique non-empty str, and each word's position.

    Raises
    ------
    TypeError
        ``words`` is not an iterable of str; the message names the first
        word that is not a str.
    ValueError
        A word is empty or repeated (the message names its position), or
        there is none.
    """
    if isinstance(words, (str, bytes)) or not isinstance(words, Iterable):
        raise TypeError(f"words must be a sequence of str, got {type(words).__name__}")
    words = tuple(words)
    index: dict[str, int] = {}
    for i, word in enumerate(words):
        if not isinstance(word, str):
            raise TypeError(f"words[{i}] is {type(word).__name__} {word!r}; every word must be "
                            "a str")
        if not word:
            raise ValueError(f"words[{i}] is the empty str; every word must hold a character")
        first = index.setdefault(word, i)
        if first != i:
            raise ValueError(f"words[{i}] {shorten(word)} repeats words[{first}]; each word must "
                             "appear once")
    if not words:
        raise ValueError("words is empty: expected at least one word")
    return words, index


def duplicate_word_error(name: str, lineno: int, word: str, first_line: int) -> DataFormatError:
    """The error of a file that has ``word`` again on ``lineno`` (first on ``first_line``)."""
    return DataFormatError(name, lineno, f"the word {shorten(word)} is already on line "
                                         f"{first_line}; each word must appear once")


class Lexicon:
    """Words, each word's position, and how tokens are looked up; immutable.

    Subclasses name their data attributes in ``_state`` (``words`` first)
    and set them once with :meth:`_freeze`.
    """

    __slots__ = ("_conventions", "_index", "words")
    _state: tuple[str, ...] = ("words",)

    def _freeze(self, index: dict[str, int] | None = None, **values: Any) -> None:
        for name, value in values.items():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_conventions", None)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    @property
    def index(self) -> dict[str, int]:
        """dict: each word's position in :attr:`words` (its row)."""
        if self._index is None:
            object.__setattr__(self, "_index", {word: i for i, word in enumerate(self.words)})
        return self._index

    def _convention(self) -> tuple[bool, bool]:
        if self._conventions is None:
            lowercase = all(word == word.lower() for word in self.words)
            joined = "\n".join(self.words)
            zero_digits = "0" in joined and _OTHER_DIGIT.search(joined) is None
            object.__setattr__(self, "_conventions", (lowercase, zero_digits))
        return self._conventions

    @property
    def lowercase(self) -> bool:
        """bool: True when no word changes under ``str.lower`` (GloVe 6B's
        words are lowercased): tokens are then lowercased before lookup."""
        return self._convention()[0]

    @property
    def zero_digits(self) -> bool:
        """bool: True when the words hold the digit 0 and no other digit
        (text whose digits were all replaced by 0): every digit of a token is
        then replaced by 0 before lookup."""
        return self._convention()[1]

    def lookup_key(self, token: str) -> str:
        """The word under which ``token`` is looked up.

        ``token.lower()`` when :attr:`lowercase`, with every digit (``\\d``)
        replaced by ``0`` when :attr:`zero_digits`; otherwise ``token``
        itself.
        """
        lowercase, zero_digits = self._convention()
        if lowercase:
            token = token.lower()
        if zero_digits:
            token = _DIGIT.sub("0", token)
        return token

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self  # immutable: sklearn's clone and deepcopy share it

    def __getstate__(self):
        return {name: getattr(self, name) for name in self._state}

    def __setstate__(self, state):
        self._freeze(**{name: state[name] for name in self._state})

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is immutable; build a new one")

    def __delattr__(self, name):
        raise AttributeError(f"{type(self).__name__} is immutable; build a new one")
