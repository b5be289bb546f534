"""TokenTagger: a neural token classifier that is a scikit-learn estimator."""

import contextlib
import copy

import keras
import numpy as np
from scikeras.utils.random_state import tensorflow_random_state
from scikeras.wrappers import BaseWrapper
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from ._validation import check_labels, check_sentence_weights, check_sentences
from .labels import SequenceLabelEncoder
from .metrics import token_accuracy
from .models import build_dense_model, word_dropout_probabilities
from .vocabulary import PAD_ID, Vocabulary, pad_sequences

__all__ = ["TokenTagger"]


class TokenTagger(BaseWrapper):
    """Neural token tagger: one label per token, scikit-learn style.

    ``TokenTagger`` learns a :class:`~sktag.Vocabulary` and a label set from
    the training data, builds a Keras model (by default the tutorial's
    Embedding + Dense) and trains it with padding masked out of the loss and
    the accuracy. It works in :class:`~sklearn.pipeline.Pipeline`,
    :class:`~sklearn.model_selection.GridSearchCV`,
    :func:`~sklearn.model_selection.cross_val_score`, :func:`~sklearn.base.clone`
    and with :mod:`joblib`.

    Parameters
    ----------
    d_model : int, default=64
        Size of the word embeddings.
    epochs : int, default=10
        Number of passes over the training data (fewer if early stopping).
    batch_size : int, default=32
        Sentences per gradient step.
    learning_rate : float, default=0.005
        Learning rate of the optimizer.
    optimizer : str or keras.optimizers.Optimizer class, default="adam"
        Keras optimizer. Its other arguments can be routed scikeras-style,
        e.g. ``optimizer__beta_1=0.8``.
    word_dropout : float, default=0.25
        Strength ``alpha`` of frequency-based word dropout: during training,
        each occurrence of a word seen ``c`` times is replaced by ``[UNK]``
        with probability ``alpha / (alpha + c)``. This trains the ``[UNK]``
        embedding, so words never seen in training get a sensible tag. 0
        disables it.
    vocabulary : Vocabulary, default=None
        Template for the vocabulary (cloned in ``fit``); None means
        ``Vocabulary()``. Its parameters are reachable as
        ``vocabulary__min_freq`` and so on.
    tokenizer : callable, default=None
        Splits sentences given as str into tokens; None splits on
        whitespace. Sentences given as lists of tokens are used as they are.
    validation_split : float, default=0.0
        Fraction of the training sentences (the last ones, as in Keras) held
        out to compute ``val_loss`` and ``val_accuracy`` each epoch.
    early_stopping : bool, default=False
        Stop when ``val_accuracy`` has not improved for ``patience`` epochs
        and restore the weights of the best epoch. Needs validation data:
        ``validation_data`` passed to ``fit``, or ``validation_split``; when
        neither is given, 10% of the training sentences are held out, as
        :class:`~sklearn.neural_network.MLPClassifier` does.
    patience : int, default=5
        Epochs without improvement before early stopping.
    shuffle : bool, default=True
        Shuffle the training sentences before each epoch.
    callbacks : list of keras.callbacks.Callback, default=None
        Keras callbacks passed to ``Model.fit`` (e.g. ``CSVLogger``,
        ``ModelCheckpoint``). A callback class with routed arguments
        (``callbacks=[CSVLogger], callbacks__0__filename="h.csv"``) is
        instantiated for each fit and keeps the estimator picklable.
    verbose : int, default=0
        0 silent, 1 progress bar, 2 one line per epoch (Keras's levels).
    warm_start : bool, default=False
        When True, ``fit`` continues training the existing model and
        vocabulary instead of starting over.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialization, shuffling and word dropout. With an
        int, two fits on CPU give identical models.
    **kwargs
        Routed parameters in scikeras's style, such as ``optimizer__beta_1``,
        ``fit__validation_freq`` or ``callbacks__0__filename``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels, sorted; the columns of :meth:`predict_proba`.
    n_classes_ : int
        Number of labels.
    vocabulary_ : Vocabulary
        The fitted vocabulary.
    model_ : keras.Model
        The trained Keras model.
    history_ : dict of str to list of float
        Per-epoch ``loss`` and ``accuracy`` (over real tokens only), plus
        ``val_loss`` and ``val_accuracy`` when validating.

    See Also
    --------
    sktag.Vocabulary : The token-to-id transformer used inside.

    Notes
    -----
    Padding is never a token: the tagger passes a per-token weight of 0 for
    padding to Keras, so the loss, ``history_`` accuracies, ``score`` and
    predictions ignore it whatever the layers do with masks.

    Examples
    --------
    >>> from sktag import TokenTagger
    >>> from sktag.datasets import load_seed_example
    >>> X, y = load_seed_example(return_X_y=True)
    >>> tagger = TokenTagger(d_model=8, epochs=30, learning_rate=0.05, random_state=0)
    >>> tagger.fit(X, y).predict(["당신은 수학 학생 입니다"])
    [[0, 1, 1, 0]]
    """

    def __init__(
        self,
        *,
        d_model=64,
        epochs=10,
        batch_size=32,
        learning_rate=0.005,
        optimizer="adam",
        word_dropout=0.25,
        vocabulary=None,
        tokenizer=None,
        validation_split=0.0,
        early_stopping=False,
        patience=5,
        shuffle=True,
        callbacks=None,
        verbose=0,
        warm_start=False,
        random_state=None,
        **kwargs,
    ):
        # Parameters only, as scikit-learn requires; BaseWrapper.__init__ is
        # not called because it would add scikeras parameters (model, loss,
        # metrics, ...) that TokenTagger decides itself.
        self.d_model = d_model
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.word_dropout = word_dropout
        self.vocabulary = vocabulary
        self.tokenizer = tokenizer
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.patience = patience
        self.shuffle = shuffle
        self.callbacks = callbacks
        self.verbose = verbose
        self.warm_start = warm_start
        self.random_state = random_state
        vars(self).update(kwargs)
        if kwargs:
            self._user_params = set(kwargs)

    # ------------------------------------------------------------------
    # scikit-learn protocol
    # ------------------------------------------------------------------
    def __sklearn_tags__(self):
        """Own the tags: scikeras 0.13 defines only the pre-1.6 ``_more_tags``.

        The tagger takes ragged text (``string=True, two_d_array=False``) and
        is deliberately not a classifier: scikit-learn would then call
        ``type_of_target`` on the list-of-lists ``y`` and fail (see
        ``check_cv``). Its ``score`` is token accuracy.
        """
        tags = BaseEstimator.__sklearn_tags__(self)
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.required = True
        tags.non_deterministic = self.random_state is None
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    def __repr__(self, N_CHAR_MAX=700):
        """scikit-learn's repr (only changed parameters), not scikeras's."""
        return BaseEstimator.__repr__(self, N_CHAR_MAX)

    def __getstate__(self):
        """Drop the live Keras callback objects of the last fit.

        They hold references to the model and open or closed files and are
        rebuilt from the ``callbacks`` parameter on the next fit.
        """
        state = super().__getstate__()
        for key in ("_fit_callbacks", "_predict_callbacks"):
            state.pop(key, None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if self.initialized_:
            self._initialize_callbacks()

    @property
    def vocabulary_(self):
        """The fitted :class:`~sktag.Vocabulary` (scikeras's ``feature_encoder_``)."""
        return self.feature_encoder_

    # ------------------------------------------------------------------
    # scikeras hooks
    # ------------------------------------------------------------------
    @property
    def feature_encoder(self):
        """The vocabulary to fit: a clone of ``vocabulary`` (scikeras hook)."""
        return Vocabulary() if self.vocabulary is None else clone(self.vocabulary)

    @property
    def target_encoder(self):
        """The label encoder to fit (scikeras hook)."""
        return SequenceLabelEncoder()

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        """Validate ragged sentences and labels.

        Replaces scikeras's version, which runs ``check_X_y`` and so rejects
        sentences of different lengths and str tokens.
        """
        sentences = check_sentences(X, tokenizer=self.tokenizer, allow_empty=False)
        if y is not None:
            y = check_labels(y, [len(s) for s in sentences])
        return sentences, y

    def _validate_sample_weight(self, X, y, sample_weight):
        """Validate per-sentence weights.

        Replaces scikeras's version, which indexes numpy arrays and drops
        zero-weight samples; here zero-weight sentences simply add nothing to
        the loss.
        """
        return X, y, check_sentence_weights(sample_weight, len(X))

    def _build_keras_model(self):
        """Build and compile the model from TokenTagger's own parameters.

        Replaces scikeras's ``model``/``build_fn`` machinery: the loss is
        fixed (sparse cross-entropy averaged over real tokens) and accuracy
        is a *weighted* metric, so padding (weight 0) counts in neither.
        """
        self._check_params()
        vocab = self.feature_encoder_
        rates = targets = None
        if self.word_dropout:
            rates = word_dropout_probabilities(vocab.counts_, self.word_dropout, vocab.n_special_)
            targets = vocab.unknown_ids()
        seeded = (
            tensorflow_random_state(self._random_state)
            if self._random_state is not None
            else contextlib.nullcontext()
        )
        with seeded:
            model = build_dense_model(
                len(vocab),
                self.n_classes_,
                d_model=self.d_model,
                word_dropout_rates=rates,
                word_dropout_targets=targets,
            )
        model.compile(
            optimizer=self._make_optimizer(),
            loss=keras.losses.SparseCategoricalCrossentropy(
                reduction="mean_with_sample_weight"
            ),
            weighted_metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
        )
        return model

    def _initialize_callbacks(self):
        """Copy the user's callbacks and add early stopping.

        Extends scikeras, which trains with the very callback objects given as
        the ``callbacks`` parameter. Keras mutates them (it attaches the model,
        opens files), which breaks scikit-learn's rule that ``fit`` leaves
        parameters alone, and makes a fitted tagger unpicklable after, say, a
        ``CSVLogger`` closed its file. Each fit therefore uses fresh copies.
        """
        super()._initialize_callbacks()
        self._fit_callbacks = [_fresh_copy(cb) for cb in self._fit_callbacks]
        self._predict_callbacks = [_fresh_copy(cb) for cb in self._predict_callbacks]
        if self.early_stopping:
            self._fit_callbacks = self._fit_callbacks + [
                keras.callbacks.EarlyStopping(
                    monitor="val_accuracy",
                    mode="max",
                    patience=self.patience,
                    restore_best_weights=True,
                    verbose=self.verbose,
                )
            ]

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        """Weight every real token and no padding, then train.

        Extends scikeras's version: turns per-sentence weights into the
        per-token weights Keras needs (0 on padding), encodes
        ``validation_data`` with the fitted vocabulary and labels, and makes
        ``history_`` a plain dict.
        """
        token_weight = (X != PAD_ID).astype(np.float32)
        if sample_weight is not None:
            token_weight *= sample_weight[:, None].astype(np.float32)
        validation_data = kwargs.pop("validation_data", None)
        if validation_data is not None:
            kwargs["validation_data"] = self._encode_validation_data(validation_data)
        elif self.early_stopping and not self.validation_split:
            kwargs["validation_split"] = 0.1
        super()._fit_keras_model(
            X,
            y,
            sample_weight=token_weight,
            warm_start=warm_start,
            epochs=epochs,
            initial_epoch=initial_epoch,
            **kwargs,
        )
        self.history_ = {key: [float(v) for v in values] for key, values in self.history_.items()}

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _check_params(self):
        for name in ("d_model", "epochs", "batch_size", "patience"):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or value < (0 if name == "patience" else 1):
                raise ValueError(f"{name} must be a positive int, got {value!r}.")
        if not 0.0 <= float(self.validation_split) < 1.0:
            raise ValueError(
                f"validation_split must be in [0, 1), got {self.validation_split!r}."
            )
        if float(self.word_dropout) < 0:
            raise ValueError(f"word_dropout must be >= 0, got {self.word_dropout!r}.")

    def _make_optimizer(self):
        """The optimizer with routed ``optimizer__*`` arguments and ``learning_rate``."""
        routed = {
            k[len("optimizer__"):]: v
            for k, v in self.get_params().items()
            if k.startswith("optimizer__")
        }
        routed.setdefault("learning_rate", self.learning_rate)
        optimizer = self.optimizer
        if isinstance(optimizer, keras.optimizers.Optimizer):
            return optimizer.__class__.from_config({**optimizer.get_config(), **routed})
        if isinstance(optimizer, str):
            optimizer = keras.optimizers.get(optimizer).__class__
        return optimizer(**routed)

    def _encode_validation_data(self, validation_data):
        """Encode ``(X_val, y_val[, sample_weight_val])`` like the training data."""
        if not isinstance(validation_data, tuple) or len(validation_data) not in (2, 3):
            raise ValueError(
                "validation_data must be a tuple (X_val, y_val) or "
                "(X_val, y_val, sample_weight_val)."
            )
        X_val = check_sentences(validation_data[0], tokenizer=self.tokenizer, name="X_val")
        y_val = check_labels(
            validation_data[1], [len(s) for s in X_val], name="y_val", x_name="X_val"
        )
        ids = self.feature_encoder_.transform(X_val)
        labels = pad_sequences(self.target_encoder_.encode(y_val, name="y_val"))
        weight = (ids != PAD_ID).astype(np.float32)
        if len(validation_data) == 3:
            weight *= check_sentence_weights(validation_data[2], len(X_val))[:, None].astype(
                np.float32
            )
        return ids, labels, weight

    def _forward(self, ids):
        """Class probabilities for a padded id batch, without ``Model.predict``."""
        return keras.ops.convert_to_numpy(self.model_(ids, training=False))

    def _predict_probabilities(self, X):
        """Per-sentence probability arrays, computed in length-sorted batches."""
        check_is_fitted(self)
        encoded = self.feature_encoder_.encode(X, tokenizer=self.tokenizer)
        n_classes = self.n_classes_
        out = [np.zeros((len(ids), n_classes), dtype=np.float32) for ids in encoded]
        order = np.argsort([len(ids) for ids in encoded], kind="stable")
        order = [i for i in order if len(encoded[i])]
        step = max(int(self.batch_size), 256)
        for start in range(0, len(order), step):
            batch = order[start : start + step]
            probs = self._forward(pad_sequences([encoded[i] for i in batch]))
            for row, i in enumerate(batch):
                out[i] = probs[row, : len(encoded[i])]
        return out

    # ------------------------------------------------------------------
    # public API
    # ------------------------------------------------------------------
    def fit(self, X, y, sample_weight=None, *, validation_data=None, **kwargs):
        """Learn the vocabulary, the labels and the model weights.

        Parameters
        ----------
        X : list of (list of str or str)
            Training sentences: lists of tokens, or str split by
            ``tokenizer``. No sentence may be empty.
        y : list of list of (str or int)
            One label per token, all str or all int.
        sample_weight : array-like of shape (n_sentences,), default=None
            Weight of each sentence, applied to each of its tokens.
        validation_data : tuple, default=None
            ``(X_val, y_val)`` or ``(X_val, y_val, sample_weight_val)``,
            scored after each epoch (``val_loss``, ``val_accuracy``); takes
            precedence over ``validation_split``.
        **kwargs
            Extra arguments for ``keras.Model.fit``.

        Returns
        -------
        self : TokenTagger
        """
        if validation_data is not None:
            kwargs["validation_data"] = validation_data
        return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    def partial_fit(self, X, y, sample_weight=None, **kwargs):
        """Train one more epoch, keeping the vocabulary, labels and weights.

        The first call initializes the model as ``fit`` does. Later calls map
        new words to ``[UNK]`` and reject labels not seen in the first call.

        Parameters
        ----------
        X : list of (list of str or str)
            Training sentences.
        y : list of list of (str or int)
            One label per token.
        sample_weight : array-like of shape (n_sentences,), default=None
            Weight of each sentence.
        **kwargs
            Extra arguments for ``keras.Model.fit``.

        Returns
        -------
        self : TokenTagger
        """
        return super().partial_fit(X, y, sample_weight=sample_weight, **kwargs)

    def predict_proba(self, X):
        """Probability of each label for each token.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences of any length; empty sentences are allowed.

        Returns
        -------
        proba : list of ndarray of shape (n_tokens_i, n_classes)
            Rows sum to 1; columns follow ``classes_``.
        """
        return self._predict_probabilities(X)

    def predict(self, X):
        """Most likely label of each token.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences of any length; unknown tokens are tagged through
            ``[UNK]``; an empty sentence gives an empty label list.

        Returns
        -------
        labels : list of list
            Exactly one label per input token, of the type of the training
            labels.
        """
        probs = self._predict_probabilities(X)
        return self.target_encoder_.inverse_transform([p.argmax(axis=1) for p in probs])

    def score(self, X, y, sample_weight=None):
        """Token accuracy over real tokens.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences.
        y : list of list of (str or int)
            True labels, one per token, of the training label type.
        sample_weight : array-like of shape (n_sentences,), default=None
            Weight of each sentence, applied to each of its tokens.

        Returns
        -------
        score : float
            Share of tokens whose predicted label is right.
        """
        check_is_fitted(self)
        sentences = check_sentences(X, tokenizer=self.tokenizer, allow_empty=True)
        labels = check_labels(y, [len(s) for s in sentences])
        self.target_encoder_.check_label_type(labels)
        return token_accuracy(labels, self.predict(sentences), sample_weight=sample_weight)


def _fresh_copy(callback):
    """A deep copy of a callback, or the callback itself if it cannot be copied."""
    try:
        return copy.deepcopy(callback)
    except Exception:
        return callback
