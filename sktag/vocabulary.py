"""Vocabulary: tokens to integer ids, with ``[PAD]`` = 0 and ``[UNK]`` = 1."""

import re
from collections import Counter
from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from .architecture import MAX_CHARS
from .validation import check_sentences

__all__ = [
    "Vocabulary", "CharVocabulary", "PAD", "UNK", "PAD_ID", "UNK_ID", "UNKNOWN_SHAPES",
    "CHAR_CLASSES",
]

#: The padding token; its id is :data:`PAD_ID`.
PAD = "[PAD]"
#: The unknown-word token; its id is :data:`UNK_ID`.
UNK = "[UNK]"
#: Id of :data:`PAD`, the padding (always 0).
PAD_ID = 0
#: Id of :data:`UNK`, an unknown token of no telling shape (always 1).
UNK_ID = 1
#: Unknown tokens of a telling shape get their own unknown id (ids 2-4 when
#: ``unknown_shapes=True``); any other unknown token is ``[UNK]``.
UNKNOWN_SHAPES = ("[UNK:Aa]", "[UNK:0]", "[UNK:.]")
#: The columns of :meth:`CharVocabulary.char_classes`: an uppercase letter, a
#: lowercase letter, a digit, neither a letter nor a digit. A letter without
#: case (Hangul, Han) is in none of them.
CHAR_CLASSES = ("upper", "lower", "digit", "symbol")


_has_digit = re.compile(r"\d").search
_has_letter_or_digit = re.compile(r"[^\W_]").search


def token_shape(token):
    """The unknown id for ``token`` if it were not in the vocabulary.

    ``[UNK:0]`` if it contains a digit, ``[UNK:.]`` if it has no letter or
    digit, ``[UNK:Aa]`` if it starts with an uppercase letter, else ``[UNK]``.
    """
    if token.isalpha():  # the common case, checked first for speed
        return 2 if token[0].isupper() else UNK_ID
    if _has_digit(token):
        return 3
    if not _has_letter_or_digit(token):
        return 4
    return 2 if token[:1].isupper() else UNK_ID


def split_state(cls, state, fitted, optional=()):
    """``(parameters, fitted attributes)`` of an encoder's ``state`` (its ``to_state``).

    The helper of the encoders' ``from_state``: the parameters of ``cls``
    that ``state`` has (those it lacks, newer than the state, take their
    defaults), and ``fitted``, all of them or none (an unfitted encoder).

    Parameters
    ----------
    cls : type
        The encoder class.
    state : dict
        Parameter and attribute names to values.
    fitted : tuple of str
        The fitted attributes of ``cls``'s state.
    optional : tuple of str, default=()
        Further keys ``state`` may have; they are in neither result.

    Returns
    -------
    params, attributes : dict

    Raises
    ------
    ValueError
        A key of ``state`` that ``cls``'s state does not have, or some of
        ``fitted`` but not all.
    """
    names = cls().get_params(deep=False)
    unknown = [key for key in state if key not in names and key not in fitted
               and key not in optional]
    if unknown:
        raise ValueError(f"the state of a {cls.__name__} has no key {unknown[0]!r}")
    present = [name for name in fitted if name in state]
    if present and len(present) != len(fitted):
        missing = next(name for name in fitted if name not in state)
        raise ValueError(f"the state of a fitted {cls.__name__} is missing {missing!r}")
    return ({name: state[name] for name in names if name in state},
            {name: state[name] for name in present})


class Vocabulary(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Map tokens to integer ids and pad sentences to a rectangle.

    Id 0 is ``[PAD]`` (filler, never a token) and id 1 is ``[UNK]`` (a
    token not in the vocabulary). With ``unknown_shapes=True`` (the default)
    an unknown token of a telling shape gets one of three more unknown ids
    instead: 2 ``[UNK:Aa]`` (starts with an uppercase letter), 3 ``[UNK:0]``
    (contains a digit), 4 ``[UNK:.]`` (no letter or digit). A tagger can
    then tell an unseen name from an unseen noun or number, as classic
    taggers' unknown-word signatures do. Known tokens get the next ids, most
    frequent first, ties broken by first appearance.

    Parameters
    ----------
    min_freq : int, default=1
        Tokens seen fewer times than this in ``fit`` map to ``[UNK]``.
    max_size : int, default=None
        Keep at most this many known tokens (the most frequent), not
        counting ``[PAD]`` and ``[UNK]``. None keeps all.
    lowercase : bool, default=False
        Lowercase tokens before counting and looking them up (the shape of
        an unknown token is taken before lowercasing).
    unknown_shapes : bool, default=True
        Give unknown tokens a shape-specific unknown id (see above); when
        False every unknown token is ``[UNK]``.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Token to id, including ``[PAD]`` and ``[UNK]``.
    tokens_ : ndarray of str of shape (n_ids,)
        Id to token.
    counts_ : ndarray of int of shape (n_ids,)
        How often each id occurred in the training data; an unknown id's
        count is the number of tokens that fell below ``min_freq`` or
        ``max_size`` and have its shape, the ``[PAD]`` count is 0.
    n_special_ : int
        Number of reserved ids: ``[PAD]`` and the unknown ids.
    n_extra_ : int
        Number of ``extra_words`` given ids in ``fit``: the last ``n_extra_``
        ids, after the training words.
    unknown_ids_ : ndarray of int32 of shape (n_ids,)
        For every id, the unknown id of its most frequent spelling in the
        training data (each reserved id maps to itself); see
        :meth:`unknown_ids`.

    Examples
    --------
    >>> from sktag import Vocabulary
    >>> vocab = Vocabulary().fit([["나는", "학생", "입니다"], ["나는", "선생님"]])
    >>> vocab.transform([["나는", "선생님"], ["학생", "수학", "입니다"]])
    array([[5, 8, 0],
           [6, 1, 7]], dtype=int32)
    >>> vocab.transform([["Seoul", "2024", "!!"]])
    array([[2, 3, 4]], dtype=int32)
    >>> vocab.inverse_transform([[5, 8, 0], [2, 1, 0]])
    [['나는', '선생님'], ['[UNK:Aa]', '[UNK]']]
    """

    _parameter_constraints: ClassVar[dict] = {
        "min_freq": [Interval(Integral, 1, None, closed="left")],
        "max_size": [None, Interval(Integral, 0, None, closed="left")],
        "lowercase": ["boolean"],
        "unknown_shapes": ["boolean"],
    }

    def __init__(self, min_freq=1, max_size=None, lowercase=False, unknown_shapes=True):
        self.min_freq = min_freq
        self.max_size = max_size
        self.lowercase = lowercase
        self.unknown_shapes = unknown_shapes

    #: The fitted attributes of :meth:`to_state`, in order.
    _FITTED_STATE = ("n_special_", "vocabulary_", "tokens_", "counts_", "unknown_ids_")

    def to_state(self):
        """The vocabulary as plain data, for model files.

        Returns
        -------
        state : dict
            ``min_freq``, ``max_size``, ``lowercase`` and ``unknown_shapes``;
            when fitted also ``n_special_``, ``vocabulary_`` (dict),
            ``tokens_``, ``counts_`` and ``unknown_ids_`` (arrays): the
            vocabulary's own values, not copies (``unknown_ids_`` is
            :meth:`unknown_ids`, also for a vocabulary fitted before it), and
            ``n_extra_`` when it is not 0.
        """
        state = {"min_freq": self.min_freq, "max_size": self.max_size,
                 "lowercase": self.lowercase, "unknown_shapes": self.unknown_shapes}
        if hasattr(self, "vocabulary_"):
            state.update(n_special_=self.n_special_, vocabulary_=self.vocabulary_,
                         tokens_=self.tokens_, counts_=self.counts_,
                         unknown_ids_=self.unknown_ids())  # also for one fitted before them
            if getattr(self, "n_extra_", 0):  # a vocabulary with extra words
                state["n_extra_"] = self.n_extra_
        return state

    @classmethod
    def from_state(cls, state):
        """The vocabulary of :meth:`to_state`'s data.

        Parameters
        ----------
        state : dict
            As :meth:`to_state` gives it; parameters it lacks take their
            defaults. Its values are used as they are (not copied or checked
            against each other: :mod:`sktag.persistence` checks a file's).

        Returns
        -------
        vocabulary : Vocabulary

        Raises
        ------
        ValueError
            An unknown key, or some fitted attributes but not all.
        """
        params, fitted = split_state(cls, state, cls._FITTED_STATE, optional=("n_extra_",))
        vocabulary = cls(**params)
        for name, value in fitted.items():
            setattr(vocabulary, name, value)
        if fitted:
            vocabulary.n_extra_ = state.get("n_extra_", 0)
        return vocabulary

    def fit(self, X, y=None, *, extra_words=None):
        """Learn the vocabulary from sentences.

        Parameters
        ----------
        X : list of (list of str or str)
            Training sentences; a str sentence is split on whitespace.
        y : None
            Ignored.
        extra_words : iterable of str, default=None
            Words to give ids too, after those of ``X``, although ``X`` does
            not have them (or has them fewer than ``min_freq`` times): the
            words of pretrained vectors, so that a word never seen in
            training is tagged from its vector (see :mod:`sktag.pretrained`).
            Lowercased with ``lowercase=True``; words already in the
            vocabulary are skipped; ``max_size`` does not count them.
            ``n_extra_`` says how many were added.

        Returns
        -------
        self : Vocabulary
        """
        self._validate_params()
        # Each distinct spelling is counted, looked up and shaped once.
        spellings = Counter(token for tokens in check_sentences(X) for token in tokens)
        counts = Counter()  # keeps first-appearance order, as spellings does
        for token, n in spellings.items():
            counts[token.lower() if self.lowercase else token] += n
        # Counter keeps first-appearance order, and sorted() is stable.
        kept = [t for t, c in sorted(counts.items(), key=lambda tc: -tc[1]) if c >= self.min_freq]
        specials = [PAD, UNK] + (list(UNKNOWN_SHAPES) if self.unknown_shapes else [])
        # A text token spelled like a special ("[PAD]") is a word we cannot
        # give its own id: it is encoded as an unknown word, never as padding.
        kept = [t for t in kept if t not in specials]
        if self.max_size is not None:
            kept = kept[: self.max_size]
        self.n_special_ = len(specials)
        self.vocabulary_ = {token: i for i, token in enumerate(specials)}
        for token in kept:
            self.vocabulary_[token] = len(self.vocabulary_)
        n_trained = len(self.vocabulary_)
        for i, word in enumerate(extra_words if extra_words is not None else ()):
            if not isinstance(word, str) or not word:
                raise TypeError(f"extra_words[{i}] is {word!r}; extra words must be "
                                f"non-empty str.")
            word = word.lower() if self.lowercase else word
            if word not in self.vocabulary_:
                self.vocabulary_[word] = len(self.vocabulary_)
        n_extra = len(self.vocabulary_) - n_trained
        self.tokens_ = np.array(list(self.vocabulary_), dtype=object)
        ids = self.encode([list(spellings)], check_input=False)[0]
        self.counts_ = np.zeros(len(self.vocabulary_), dtype=np.int64)
        np.add.at(self.counts_, ids, np.fromiter(spellings.values(), np.int64, len(spellings)))
        self.unknown_ids_ = self._spelling_shapes(spellings, ids, n_extra)
        self.n_extra_ = n_extra
        return self

    def _spelling_shapes(self, spellings, ids, n_extra):
        """For every id, the unknown id of its most frequent training spelling.

        ``spellings`` counts the training tokens as written, ``ids`` are
        their ids. With ``lowercase=True`` the entry "google" stands for
        "Google" in the text: its shape is ``[UNK:Aa]``, which "google"
        itself does not have. Ties go to the spelling seen first.
        """
        shapes = np.arange(len(self.tokens_), dtype=np.int32)
        if not self.unknown_shapes:
            shapes[self.n_special_:] = UNK_ID
            return shapes
        by_id = {}
        for (token, n), i in zip(spellings.items(), ids.tolist()):
            if i >= self.n_special_:
                by_id.setdefault(i, Counter())[self.unknown_id(token)] += n
        for i, counts in by_id.items():
            shapes[i] = counts.most_common(1)[0][0]
        for i in range(len(shapes) - n_extra, len(shapes)):  # extra words not in X
            if i not in by_id:
                shapes[i] = self.unknown_id(self.tokens_[i])
        return shapes

    def unknown_id(self, token):
        """The id an unknown ``token`` maps to (before lowercasing).

        Parameters
        ----------
        token : str

        Returns
        -------
        int
        """
        return token_shape(token) if self.unknown_shapes else UNK_ID

    def unknown_ids(self):
        """For every id, the unknown id a token of that id would fall back to.

        Word dropout uses it to replace a known token by the unknown id of
        its own shape: the shape of the entry's most frequent spelling in the
        training data (``unknown_ids_``), so that with ``lowercase=True`` the
        entry "google", seen as "Google", trains ``[UNK:Aa]``.

        Returns
        -------
        ndarray of int32 of shape (n_ids,)
        """
        check_is_fitted(self, "vocabulary_")
        if hasattr(self, "unknown_ids_"):
            return self.unknown_ids_.copy()
        # Fitted before unknown_ids_ existed: the shape of the entry itself.
        out = np.array([self.unknown_id(t) for t in self.tokens_], dtype=np.int32)
        out[: self.n_special_] = np.arange(self.n_special_)
        return out

    def __len__(self):
        check_is_fitted(self, "vocabulary_")
        return len(self.vocabulary_)

    def encode(self, X, *, tokenizer=None, check_input=True):
        """Map sentences to lists of ids without padding.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences; empty sentences are allowed.
        tokenizer : callable, default=None
            Splits str sentences; whitespace when None.
        check_input : bool, default=True
            Validate ``X`` and the fitted state. False skips both, for
            callers that already did (the predict hot path): ``X`` must then
            be a list of lists of str.

        Returns
        -------
        ids : list of ndarray of int32
        """
        if check_input:
            check_is_fitted(self, "vocabulary_")
            X = check_sentences(X, tokenizer=tokenizer, allow_empty=True)
        vocab, lower, unknown_id = self.vocabulary_, self.lowercase, self.unknown_id
        n_special = self.n_special_

        def lookup(token):
            i = vocab.get(token.lower() if lower else token)
            # Below n_special: a text token spelled like "[PAD]" is an unknown word.
            return unknown_id(token) if i is None or i < n_special else i

        return [
            np.fromiter(map(lookup, tokens), dtype=np.int32, count=len(tokens))
            for tokens in X
        ]

    def transform(self, X):
        """Map sentences to a padded array of ids.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences; unknown tokens map to ``[UNK]`` (1).

        Returns
        -------
        ids : ndarray of int32 of shape (n_sentences, max_length)
            Ids, padded with ``[PAD]`` (0) to the longest sentence.
        """
        return pad_sequences(self.encode(X))

    def inverse_transform(self, X):
        """Map ids back to tokens, dropping padding.

        Parameters
        ----------
        X : array-like of int of shape (n_sentences, length), or list of lists
            Ids as returned by :meth:`transform`.

        Returns
        -------
        sentences : list of list of str
            Tokens; unknown tokens come back as their unknown id's name,
            such as ``"[UNK]"``.
        """
        check_is_fitted(self, "vocabulary_")
        return [[self.tokens_[i] for i in row if i != PAD_ID] for row in X]


def pad_sequences(sequences, dtype=np.int32, value=0):
    """Stack 1-D sequences into a 2-D array, right-padded with ``value``.

    Parameters
    ----------
    sequences : list of array-like
        Arrays of shape ``(length_i, ...)``; trailing dimensions must agree.
    dtype : numpy dtype, default=np.int32
    value : scalar, default=0

    Returns
    -------
    padded : ndarray of shape (n_sequences, max_length, ...)
    """
    width = max((len(s) for s in sequences), default=0)
    inner = np.shape(sequences[0])[1:] if len(sequences) else ()
    out = np.full((len(sequences), width) + tuple(inner), value, dtype=dtype)
    for i, seq in enumerate(sequences):
        out[i, : len(seq)] = seq
    return out


class CharVocabulary(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Map the characters of each token to ids, for a character-level encoder.

    Id 0 is padding and id 1 an unknown character. Every token becomes a
    row of ``max_chars`` ids: shorter tokens are right-padded; a longer token
    keeps its first ``max_chars // 2`` and last ``max_chars - max_chars // 2``
    characters (prefixes and suffixes carry the morphology). The token itself
    is never dropped: it still gets exactly one label.

    Parameters
    ----------
    max_chars : int, default=20
        Width of each token's character row
        (:data:`sktag.architecture.MAX_CHARS`).
    min_freq : int, default=1
        Characters seen fewer times than this map to the unknown id.

    Attributes
    ----------
    chars_ : dict of str to int
        Character to id.

    Examples
    --------
    >>> from sktag.vocabulary import CharVocabulary
    >>> chars = CharVocabulary(max_chars=4).fit([["ab", "b"]])
    >>> chars.encode([["ba", "abcdef"]])[0]
    array([[2, 3, 0, 0],
           [3, 2, 1, 1]], dtype=int32)
    """

    _parameter_constraints: ClassVar[dict] = {
        "max_chars": [Interval(Integral, 2, None, closed="left")],
        "min_freq": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, max_chars=MAX_CHARS, min_freq=1):
        self.max_chars = max_chars
        self.min_freq = min_freq

    def to_state(self):
        """The character vocabulary as plain data, for model files.

        Returns
        -------
        state : dict
            ``max_chars`` and ``min_freq``; when fitted also ``chars_``
            (the vocabulary's own dict, not a copy).
        """
        state = {"max_chars": self.max_chars, "min_freq": self.min_freq}
        if hasattr(self, "chars_"):
            state["chars_"] = self.chars_
        return state

    @classmethod
    def from_state(cls, state):
        """The character vocabulary of :meth:`to_state`'s data.

        Parameters
        ----------
        state : dict
            As :meth:`to_state` gives it; parameters it lacks take their
            defaults.

        Returns
        -------
        chars : CharVocabulary

        Raises
        ------
        ValueError
            An unknown key.
        """
        params, fitted = split_state(cls, state, ("chars_",))
        chars = cls(**params)
        if fitted:
            chars.chars_ = fitted["chars_"]
        return chars

    def fit(self, X, y=None):
        """Learn the character set.

        Parameters
        ----------
        X : list of (list of str or str)
            Training sentences.
        y : None
            Ignored.

        Returns
        -------
        self : CharVocabulary
        """
        self._validate_params()
        counts = Counter(ch for tokens in check_sentences(X) for token in tokens for ch in token)
        kept = [ch for ch, c in sorted(counts.items(), key=lambda kv: -kv[1]) if c >= self.min_freq]
        self.chars_ = {ch: i + 2 for i, ch in enumerate(kept)}
        return self

    def __len__(self):
        check_is_fitted(self, "chars_")
        return len(self.chars_) + 2

    def char_classes(self):
        """The class of each character id, for the tagger's character features.

        Returns
        -------
        classes : ndarray of float32 of shape (n_chars, 4)
            Row ``i`` flags the classes of character id ``i`` (columns
            :data:`CHAR_CLASSES`). The padding and unknown ids have no class.
        """
        check_is_fitted(self, "chars_")
        classes = np.zeros((len(self), len(CHAR_CLASSES)), dtype=np.float32)
        for ch, i in self.chars_.items():
            classes[i] = (ch.isupper(), ch.islower(), ch.isdigit(), not ch.isalnum())
        return classes

    def _token_row(self, token):
        width = self.max_chars
        if len(token) > width:
            head = width // 2
            token = token[:head] + token[len(token) - (width - head):]
        row = np.zeros(width, dtype=np.int32)
        get = self.chars_.get
        row[: len(token)] = [get(ch, UNK_ID) for ch in token]
        return row

    def encode(self, X, *, tokenizer=None, check_input=True):
        """Character ids of each sentence, one row per token.

        Each distinct token is spelled out once, then every occurrence is a
        row lookup: text repeats its words, so this is several times faster
        than a row per occurrence.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences; empty sentences are allowed.
        tokenizer : callable, default=None
            Splits str sentences; whitespace when None.
        check_input : bool, default=True
            Validate ``X`` and the fitted state; see :meth:`Vocabulary.encode`.

        Returns
        -------
        ids : list of ndarray of int32 of shape (n_tokens_i, max_chars)
        """
        sentences = self._checked(X, tokenizer, check_input)
        rows, flat, ends = self._distinct_rows(sentences)
        return np.split(rows[flat], ends[:-1]) if len(sentences) else []

    def encode_distinct(self, X, *, tokenizer=None, check_input=True):
        """The rows of the distinct tokens, and each sentence's tokens as row indices.

        Lets a character encoder run once per distinct token (see
        :mod:`sktag.inference`).

        Parameters
        ----------
        X, tokenizer, check_input
            As in :meth:`encode`.

        Returns
        -------
        rows : ndarray of int32 of shape (n_distinct_tokens, max_chars)
        types : list of ndarray of intp
            For each sentence, the index in ``rows`` of each of its tokens.
        """
        sentences = self._checked(X, tokenizer, check_input)
        rows, flat, ends = self._distinct_rows(sentences)
        return rows, (np.split(flat, ends[:-1]) if len(sentences) else [])

    def _checked(self, X, tokenizer, check_input):
        if not check_input:
            return X
        check_is_fitted(self, "chars_")
        return check_sentences(X, tokenizer=tokenizer, allow_empty=True)

    def _distinct_rows(self, sentences):
        index = {}
        positions = [index.setdefault(t, len(index)) for tokens in sentences for t in tokens]
        rows = np.zeros((len(index), self.max_chars), dtype=np.int32)
        for token, i in index.items():
            rows[i] = self._token_row(token)
        ends = np.cumsum([len(tokens) for tokens in sentences])
        return rows, np.asarray(positions, dtype=np.intp), ends

    def transform(self, X):
        """Character ids as one padded array.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences.

        Returns
        -------
        ids : ndarray of int32 of shape (n_sentences, max_length, max_chars)
        """
        return pad_sequences(self.encode(X))
