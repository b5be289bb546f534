"""What the model sees of a sentence: word ids and, optionally, character ids."""

from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from .validation import check_sentences
from .vocabulary import Vocabulary, pad_sequences, split_state

__all__ = ["SentenceEncoder"]


class SentenceEncoder(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Encode sentences as the model's inputs.

    The feature encoder of :class:`~sktag.TokenTagger` (scikeras's
    ``feature_encoder`` hook): a :class:`~sktag.Vocabulary` for word ids and,
    when ``char_vocabulary`` is given, a
    :class:`~sktag.vocabulary.CharVocabulary` for the characters of each
    token.

    Parameters
    ----------
    vocabulary : Vocabulary, default=None
        Template for the word vocabulary (cloned in ``fit``); None means
        ``Vocabulary()``.
    char_vocabulary : CharVocabulary, default=None
        Template for the character vocabulary; None means no character input.
    tokenizer : callable, default=None
        Splits str sentences; whitespace when None.

    Attributes
    ----------
    vocabulary_ : Vocabulary
    char_vocabulary_ : CharVocabulary or None
    """

    def __init__(self, vocabulary=None, char_vocabulary=None, tokenizer=None):
        self.vocabulary = vocabulary
        self.char_vocabulary = char_vocabulary
        self.tokenizer = tokenizer

    def fit(self, X, y=None, *, extra_words=None):
        """Fit the word and character vocabularies.

        Parameters
        ----------
        X : list of (list of str or str)
            Training sentences.
        y : None
            Ignored.
        extra_words : iterable of str, default=None
            Words the word vocabulary also gives ids (see
            :meth:`Vocabulary.fit <sktag.Vocabulary.fit>`).

        Returns
        -------
        self : SentenceEncoder
        """
        sentences = check_sentences(X, tokenizer=self.tokenizer)
        template = Vocabulary() if self.vocabulary is None else self.vocabulary
        self.vocabulary_ = clone(template).fit(sentences, extra_words=extra_words)
        self.char_vocabulary_ = None
        if self.char_vocabulary is not None:
            self.char_vocabulary_ = clone(self.char_vocabulary).fit(sentences)
        return self

    def to_state(self):
        """The encoder as data, for model files.

        Returns
        -------
        state : dict
            ``vocabulary`` and ``char_vocabulary`` (the templates, as given),
            ``tokenizer`` (always None: a tokenizer is code, which a state
            does not hold; set it on the encoder :meth:`from_state` gives)
            and, when fitted, ``vocabulary_`` and ``char_vocabulary_`` (the
            fitted vocabularies themselves, each with its own ``to_state``).
        """
        state = {"vocabulary": self.vocabulary, "char_vocabulary": self.char_vocabulary,
                 "tokenizer": None}
        if hasattr(self, "vocabulary_"):
            state.update(vocabulary_=self.vocabulary_, char_vocabulary_=self.char_vocabulary_)
        return state

    @classmethod
    def from_state(cls, state):
        """The encoder of :meth:`to_state`'s data (vocabularies as objects).

        Parameters
        ----------
        state : dict
            As :meth:`to_state` gives it.

        Returns
        -------
        encoder : SentenceEncoder

        Raises
        ------
        ValueError
            An unknown key, or one fitted vocabulary without the other.
        """
        params, fitted = split_state(cls, state, ("vocabulary_", "char_vocabulary_"))
        encoder = cls(**params)
        vars(encoder).update(fitted)
        return encoder

    def get_metadata(self):
        """Attributes copied onto the tagger (a scikeras encoder hook)."""
        return {"vocabulary_": self.vocabulary_, "char_vocabulary_": self.char_vocabulary_}

    @property
    def input_names(self):
        """Names of the model inputs this encoder produces, in order."""
        return ["token_ids"] + (["char_ids"] if self.char_vocabulary is not None else [])

    def encode(self, X, *, check_input=True):
        """Encode sentences without padding.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences; empty sentences are allowed.
        check_input : bool, default=True
            Validate ``X`` (and split str sentences) and the fitted state.
            False skips both, for callers that already did (the predict hot
            path): ``X`` must then be a list of lists of str.

        Returns
        -------
        features : dict of str to list of ndarray
            ``"token_ids"``: one int32 array per sentence; with characters
            also ``"char_ids"``: one ``(n_tokens, max_chars)`` array each.
        """
        sentences = self._checked(X, check_input)
        features = {"token_ids": self.vocabulary_.encode(sentences, check_input=False)}
        if self.char_vocabulary_ is not None:
            features["char_ids"] = self.char_vocabulary_.encode(sentences, check_input=False)
        return features

    def encode_distinct(self, X, *, check_input=True):
        """Word ids, and the character rows of the distinct tokens with each
        sentence's tokens as row indices (see ``CharVocabulary.encode_distinct``).

        Parameters
        ----------
        X, check_input
            As in :meth:`encode`; the encoder must have characters.

        Returns
        -------
        token_ids : list of ndarray of int32
        rows : ndarray of int32 of shape (n_distinct_tokens, max_chars)
        types : list of ndarray of intp
        """
        sentences = self._checked(X, check_input)
        rows, types = self.char_vocabulary_.encode_distinct(sentences, check_input=False)
        return self.vocabulary_.encode(sentences, check_input=False), rows, types

    def _checked(self, X, check_input):
        if not check_input:
            return X
        check_is_fitted(self, "vocabulary_")
        return check_sentences(X, tokenizer=self.tokenizer, allow_empty=True)

    def transform(self, X):
        """Encode sentences as padded arrays.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences.

        Returns
        -------
        features : dict of str to ndarray
            Each list of :meth:`encode` padded with 0 to the longest sentence.
        """
        return {name: pad_sequences(seqs) for name, seqs in self.encode(X).items()}
