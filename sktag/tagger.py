"""TokenTagger: a neural token classifier that is a scikit-learn estimator."""

import contextlib
import copy

import keras
import numpy as np
from scikeras._utils import route_params
from scikeras.utils.random_state import tensorflow_random_state
from scikeras.wrappers import BaseWrapper
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ._validation import check_labels, check_sentence_weights, check_sentences
from .batching import EncodedSentences, SentenceBatches, model_inputs, prediction_batches
from .decoding import best_iob2_path, iob2_transitions
from .features import SentenceEncoder
from .labels import SequenceLabelEncoder
from .metrics import token_accuracy
from .models import (
    ENCODERS, TokenAccuracy, build_model, split_at_characters, word_dropout_probabilities,
)
from .vocabulary import CharVocabulary, pad_sequences

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
    encoder : {"dense", "conv", "bilstm"}, default="dense"
        How a token's tag sees its sentence. ``"dense"`` is the tutorial's
        Embedding + Dense model: each token is tagged from its own features.
        ``"conv"`` adds ``n_layers`` 1-D convolutions (a window of 3 tokens
        each); ``"bilstm"`` adds ``n_layers`` bidirectional LSTMs.
    d_model : int, default=64
        Size of the word embeddings.
    char_dim : int, default=0
        Size of the character embeddings of a character-level CNN (with
        ``4 * char_dim`` filters) that encodes each token from its spelling,
        so unseen words are tagged from their prefixes and suffixes. 0 turns
        it off.
    char_classes : bool, default=True
        With characters, also tell the model the case and kind of the
        first and of any character of each token (upper case, lower case,
        digit, symbol; see :class:`~sktag.models.CharClasses`): what
        "capitalised" or "has a digit" means, for every letter at once.
        Ignored when ``char_dim=0``. Measured on the benchmark it helps
        English, above all entity tags, and costs Korean (no case) 0.1-0.5
        points.
    hidden_dim : int, default=128
        Filters of each convolution, or units of each LSTM direction.
    n_layers : int, default=1
        Number of context layers of the ``"conv"`` and ``"bilstm"`` encoders.
    dropout : float, default=0.0
        Dropout rate on the token features and after each context layer.
    epochs : int, default=10
        Number of passes over the training data (fewer if early stopping).
    max_steps : int, default=None
        Train for at most this many optimizer steps (batches) instead of
        ``epochs``: as many whole epochs as fit in ``max_steps`` for this
        training set, at least one. A training length that does not shrink
        with the data: with ``max_steps=1400`` and ``batch_size=64``, 12,500
        sentences train 7 epochs and 1,600 sentences 56. ``partial_fit``
        still trains one epoch.
    batch_size : int, default=32
        Sentences per gradient step.
    learning_rate : float, default=0.005
        Learning rate of the optimizer.
    learning_rate_schedule : {"constant", "cosine"}, default="constant"
        ``"cosine"`` lowers the learning rate each epoch along a half cosine,
        from ``learning_rate`` in the first epoch towards 0 in the last (of
        this call to ``fit``). Measured on English UD, it turns the epoch to
        epoch swings of a constant rate into steady gains.
    optimizer : str or keras.optimizers.Optimizer class, default="adam"
        Keras optimizer. Its other arguments can be routed scikeras-style,
        e.g. ``optimizer__beta_1=0.8``.
    word_dropout : float, default=0.25
        Strength ``alpha`` of frequency-based word dropout: during training,
        each occurrence of a word seen ``c`` times is replaced by ``[UNK]``
        with probability ``alpha / (alpha + c)``. This trains the ``[UNK]``
        embedding, so words never seen in training get a sensible tag. 0
        disables it.
    class_weight : dict, "balanced" or None, default=None
        Weights of the labels in the training loss, as in scikit-learn's
        classifiers: a dict ``label -> weight`` (others weigh 1), or
        ``"balanced"`` for ``n_tokens / (n_classes * count(label))``. Useful
        for entity tagging, where ``"O"`` dominates. The training ``loss``
        and ``accuracy`` in ``history_`` are then weighted too; the
        ``val_`` figures are not.
    decoding : {"auto", "argmax"}, default="auto"
        How :meth:`predict` turns probabilities into labels. ``"argmax"``
        takes each token's most probable label. ``"auto"`` does the same
        unless the training labels are an IOB2 entity tagging (``"O"``,
        ``"B-<type>"``, ``"I-<type>"``, every ``I-`` continuing an entity of
        its type): then it predicts the most probable label sequence that is
        valid IOB2 (see :mod:`sktag.decoding`), so no entity begins with
        ``I-`` or changes type midway.
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
    steps_per_execution : int, default=32
        Training batches run per call into TensorFlow (Keras's
        ``steps_per_execution``). Small models are dominated by the cost of
        each call, so running 32 batches per call trains the dense model
        about 1.5x faster. Callbacks' batch hooks (``on_train_batch_end``)
        then run every 32 batches; epoch hooks are unaffected.
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
    keep_optimizer : bool, default=False
        Keep the optimizer's state (Adam's moment estimates) when the tagger
        is pickled or saved, so that training can resume exactly where it
        stopped. Without it a saved model is about three times smaller and a
        later ``partial_fit`` starts a fresh optimizer. ``warm_start=True``
        implies it.
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
    label_scheme_ : {"iob2", None}
        ``"iob2"`` when the training labels are an IOB2 entity tagging;
        ``decoding="auto"`` then predicts valid IOB2 sequences.
    vocabulary_ : Vocabulary
        The fitted vocabulary.
    char_vocabulary_ : CharVocabulary or None
        The fitted character vocabulary when ``char_dim > 0``.
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
        encoder="dense",
        d_model=64,
        char_dim=0,
        char_classes=True,
        hidden_dim=128,
        n_layers=1,
        dropout=0.0,
        epochs=10,
        max_steps=None,
        batch_size=32,
        learning_rate=0.005,
        learning_rate_schedule="constant",
        optimizer="adam",
        word_dropout=0.25,
        class_weight=None,
        decoding="auto",
        vocabulary=None,
        tokenizer=None,
        validation_split=0.0,
        early_stopping=False,
        patience=5,
        shuffle=True,
        steps_per_execution=32,
        callbacks=None,
        verbose=0,
        warm_start=False,
        keep_optimizer=False,
        random_state=None,
        **kwargs,
    ):
        # Parameters only, as scikit-learn requires; BaseWrapper.__init__ is
        # not called because it would add scikeras parameters (model, loss,
        # metrics, ...) that TokenTagger decides itself.
        self.encoder = encoder
        self.d_model = d_model
        self.char_dim = char_dim
        self.char_classes = char_classes
        self.hidden_dim = hidden_dim
        self.n_layers = n_layers
        self.dropout = dropout
        self.epochs = epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.optimizer = optimizer
        self.word_dropout = word_dropout
        self.class_weight = class_weight
        self.decoding = decoding
        self.vocabulary = vocabulary
        self.tokenizer = tokenizer
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.patience = patience
        self.shuffle = shuffle
        self.steps_per_execution = steps_per_execution
        self.callbacks = callbacks
        self.verbose = verbose
        self.warm_start = warm_start
        self.keep_optimizer = keep_optimizer
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
        """Pickle without live callbacks, caches and, unless asked, optimizer state.

        The callbacks of the last fit hold the model and files and are
        rebuilt from the ``callbacks`` parameter on the next fit. The
        optimizer's state (Adam keeps two slots per weight: two thirds of
        the file) is dropped unless ``keep_optimizer`` or ``warm_start`` ask
        to resume training where it stopped.
        """
        state = super().__getstate__()
        for key in ("_fit_callbacks", "_predict_callbacks", "_inference"):
            state.pop(key, None)
        model = state.get("model_")
        if model is not None and not (self.keep_optimizer or self.warm_start):
            state["model_"] = _without_optimizer(model)
        return state

    def __setstate__(self, state):
        # Pickled before char_classes existed: its character model has none.
        state.setdefault("char_classes", False)
        super().__setstate__(state)
        if self.initialized_:
            self._initialize_callbacks()

    # ------------------------------------------------------------------
    # scikeras hooks
    # ------------------------------------------------------------------
    @property
    def feature_encoder(self):
        """Word (and character) vocabularies to fit (scikeras hook).

        Its metadata sets ``vocabulary_`` and ``char_vocabulary_``.
        """
        return SentenceEncoder(
            vocabulary=self.vocabulary,
            char_vocabulary=CharVocabulary() if self.char_dim else None,
            tokenizer=self.tokenizer,
        )

    @property
    def target_encoder(self):
        """The label encoder to fit (scikeras hook)."""
        return SequenceLabelEncoder()

    def _initialize(self, X, y=None):
        """Fit the encoders, copy their metadata and build the model.

        Replaces scikeras's version, which reads the feature encoder's
        metadata from a new, unfitted encoder (``self.feature_encoder``
        instead of ``self.feature_encoder_``).
        """
        if isinstance(self.random_state, np.random.RandomState):
            # Keras needs an int; draw it from a copy so the user's state is untouched.
            state = np.random.RandomState()
            state.set_state(self.random_state.get_state())
            self._random_state = int(state.randint(2**31 - 1))
        else:
            self._random_state = self.random_state
        X, y = self._validate_data(X, y, reset=True)
        target_encoder = self.target_encoder.fit(y)
        if target_encoder.n_classes_ < 2:
            raise ValueError(
                f"y has a single distinct label, {target_encoder.classes_[0]!r}; a tagger "
                f"needs at least two labels to choose between."
            )
        self.target_encoder_ = target_encoder
        vars(self).update(self.target_encoder_.get_metadata())
        self.feature_encoder_ = self.feature_encoder.fit(X)
        vars(self).update(self.feature_encoder_.get_metadata())
        self.model_ = self._build_keras_model()
        self._initialize_callbacks()
        return X, y

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        """Validate ragged sentences and labels.

        Replaces scikeras's version, which runs ``check_X_y`` and so rejects
        sentences of different lengths and str tokens.
        """
        sentences = check_sentences(X, tokenizer=self.tokenizer, allow_empty=False)
        if y is not None:
            y = check_labels(y, [len(s) for s in sentences])
        return sentences, y

    def _build_keras_model(self):
        """Build and compile the model from TokenTagger's own parameters.

        Replaces scikeras's ``model``/``build_fn`` machinery: the loss is
        fixed (sparse cross-entropy averaged over real tokens) and accuracy
        is a *weighted* metric, so padding (weight 0) counts in neither.
        """
        self._check_params()
        vocab = self.vocabulary_
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
            model = build_model(
                len(vocab),
                self.n_classes_,
                encoder=self.encoder,
                d_model=self.d_model,
                n_chars=len(self.char_vocabulary_) if self.char_dim else 0,
                char_dim=self.char_dim,
                max_chars=self.char_vocabulary_.max_chars if self.char_dim else 0,
                char_classes=(self.char_vocabulary_.char_classes()
                              if self.char_dim and self.char_classes else None),
                hidden_dim=self.hidden_dim,
                n_layers=self.n_layers,
                dropout=self.dropout,
                word_dropout_rates=rates,
                word_dropout_targets=targets,
                seed=self._random_state,  # not Python's global random: see build_model
            )
        self._compile(model)
        return model

    def _compile(self, model):
        """Compile with the padding-free loss and accuracy and a fresh optimizer."""
        model.compile(
            optimizer=self._make_optimizer(),
            loss=keras.losses.SparseCategoricalCrossentropy(
                reduction="mean_with_sample_weight"
            ),
            weighted_metrics=[TokenAccuracy(name="accuracy")],
            steps_per_execution=self.steps_per_execution,
        )

    def _ensure_compiled_model(self):
        """Compile a model loaded without its optimizer (see ``keep_optimizer``).

        Also applies a ``steps_per_execution`` changed since the last fit.

        Replaces scikeras's version, which compiles from scikeras's own
        ``loss``/``metrics`` parameters.
        """
        if not self.model_.compiled:
            self._compile(self.model_)
        elif self.model_.steps_per_execution != self.steps_per_execution:
            # Changed between warm fits: rebuild the train step, keep the optimizer.
            self.model_.steps_per_execution = self.steps_per_execution
            self.model_.make_train_function(force=True)
            self.model_.make_test_function(force=True)

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

    def _fit(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        """Train on length-bucketed batches with padding weighted out.

        Replaces scikeras's ``_fit``, which pads the whole training set to
        its longest sentence and hands Keras one big array. sktag batches
        sentences of similar length (padding stays a small share of the
        computed positions), gives every real token its sentence's weight and
        padding weight 0, holds out ``validation_split`` (the last sentences,
        as Keras does) or encodes ``validation_data`` with the fitted
        encoders, and keeps ``history_`` a plain dict.

        A ``KeyboardInterrupt`` leaves the tagger fitted with the best
        weights so far (see :class:`_InterruptGuard`), or as it was before
        this call when no epoch finished; any other error also leaves it as
        it was. The exception then propagates.
        """
        before = dict(vars(self))
        continuing = (self.warm_start or warm_start) and self.initialized_
        weights_before = self.model_.get_weights() if continuing else None
        guard = _InterruptGuard()
        try:
            self._fit_epochs(X, y, sample_weight, warm_start, epochs, initial_epoch, guard,
                             **kwargs)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt) and guard.best_weights is not None:
                self.model_.set_weights(guard.best_weights)
                self._record_history(guard.history, warm_start, initial_epoch)
                self._inference = None
            else:  # an error, or Ctrl-C before any epoch ended: back to the state before
                vars(self).clear()
                vars(self).update(before)
                if weights_before is not None:
                    self.model_.set_weights(weights_before)
            raise

    def _fit_epochs(self, X, y, sample_weight, warm_start, epochs, initial_epoch, guard,
                    **kwargs):
        """The body of :meth:`_fit`."""
        if not ((self.warm_start or warm_start) and self.initialized_):
            X, y = self._initialize(X, y)
        else:
            X, y = self._validate_data(X, y)
            self._initialize_callbacks()  # callbacks may have changed since the last fit
        self._ensure_compiled_model()
        train = self._encode(X, y, check_sentence_weights(sample_weight, len(X)))
        validation = kwargs.pop("validation_data", None)
        max_steps = kwargs.pop("max_steps", None)
        if validation is not None:
            validation = self._encode_validation_data(validation)
        else:
            split = self.validation_split or (0.1 if self.early_stopping else 0.0)
            if split:
                train, validation = train.split_tail(split)
        seed = self._random_state
        if seed is None:
            seed = np.random.randint(2**31 - 1)
        train_batches = SentenceBatches(
            train, self.batch_size, shuffle=self.shuffle, seed=seed,
            class_weights=self._class_weights(train),
        )
        if max_steps is not None:
            epochs = max(1, max_steps // len(train_batches))
        if validation is not None:
            validation = SentenceBatches(validation, self.batch_size).to_dataset()
        fit_args = route_params(self.get_params(), destination="fit", pass_filter=set(), strict=True)
        fit_args.update(kwargs)
        seeded = (
            tensorflow_random_state(self._random_state)
            if self._random_state is not None
            else contextlib.nullcontext()
        )
        with seeded:
            history = self.model_.fit(
                train_batches.to_dataset(),
                validation_data=validation,
                epochs=initial_epoch + epochs,
                initial_epoch=initial_epoch,
                shuffle=False,  # SentenceBatches shuffles
                verbose=self.verbose,
                callbacks=self._fit_callbacks + self._schedule(initial_epoch, epochs) + [guard],
                **fit_args,
            )
        self._record_history(history.history, warm_start, initial_epoch)
        self._inference = None  # new weights: rebuild the fast predict path

    def _record_history(self, history, warm_start, initial_epoch):
        """Set ``history_``, or extend it when training continues."""
        if not warm_start or not hasattr(self, "history_") or initial_epoch == 0:
            self.history_ = {}
        for key, values in history.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _check_params(self):
        if self.encoder not in ENCODERS:
            raise ValueError(f"encoder must be one of {ENCODERS}, got {self.encoder!r}.")
        for name, low in (("d_model", 1), ("epochs", 1), ("batch_size", 1), ("patience", 0),
                          ("hidden_dim", 1), ("n_layers", 1), ("char_dim", 0),
                          ("steps_per_execution", 1)):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name} must be an int >= {low}, got {value!r}.")
        if not 0.0 <= float(self.validation_split) < 1.0:
            raise ValueError(
                f"validation_split must be in [0, 1), got {self.validation_split!r}."
            )
        if self.learning_rate_schedule not in ("constant", "cosine"):
            raise ValueError(
                "learning_rate_schedule must be 'constant' or 'cosine', "
                f"got {self.learning_rate_schedule!r}."
            )
        if not 0.0 <= float(self.dropout) < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}.")
        if self.max_steps is not None and (
            not isinstance(self.max_steps, (int, np.integer))
            or isinstance(self.max_steps, bool) or self.max_steps < 1
        ):
            raise ValueError(f"max_steps must be None or an int >= 1, got {self.max_steps!r}.")
        if not isinstance(self.char_classes, (bool, np.bool_)):
            raise ValueError(f"char_classes must be True or False, got {self.char_classes!r}.")
        if self.decoding not in ("auto", "argmax"):
            raise ValueError(f"decoding must be 'auto' or 'argmax', got {self.decoding!r}.")
        if float(self.word_dropout) < 0:
            raise ValueError(f"word_dropout must be >= 0, got {self.word_dropout!r}.")

    def _schedule(self, initial_epoch, epochs):
        """The learning-rate callback of ``learning_rate_schedule``, as a list."""
        if self.learning_rate_schedule == "constant":
            return []
        base = float(self.learning_rate)

        def cosine(epoch, current_rate=None):
            progress = (epoch - initial_epoch) / max(epochs, 1)
            return base * 0.5 * (1.0 + np.cos(np.pi * progress))

        return [keras.callbacks.LearningRateScheduler(cosine)]

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

    def _class_weights(self, data):
        """Per-class-id training weights from ``class_weight``, or None."""
        if self.class_weight is None:
            return None
        if self.class_weight == "balanced":
            counts = np.bincount(np.concatenate(data.labels), minlength=self.n_classes_)
            present = counts > 0
            weights = np.ones(self.n_classes_)
            weights[present] = counts.sum() / (present.sum() * counts[present])
            return weights.astype(np.float32)
        if isinstance(self.class_weight, dict):
            unknown = set(self.class_weight) - set(self.classes_.tolist())
            if unknown:
                raise ValueError(
                    f"class_weight names labels not in the training data: {sorted(unknown)}; "
                    f"known labels: {self.classes_[:20].tolist()}."
                )
            return np.array(
                [float(self.class_weight.get(c, 1.0)) for c in self.classes_.tolist()],
                dtype=np.float32,
            )
        raise ValueError(
            f"class_weight must be None, 'balanced' or a dict label -> weight, "
            f"got {self.class_weight!r}."
        )

    def _encode(self, X, y, weights=None, name="y"):
        """Encoded sentences, label ids and sentence weights, unpadded."""
        if weights is None:
            weights = np.ones(len(X))
        return EncodedSentences(
            self.feature_encoder_.encode(X),
            self.target_encoder_.encode(y, name=name),
            np.asarray(weights, dtype=np.float32),
        )

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
        weights = None
        if len(validation_data) == 3:
            weights = check_sentence_weights(validation_data[2], len(X_val))
        return self._encode(X_val, y_val, weights, name="y_val")

    def _inference_function(self):
        """The fast forward pass, built once per set of weights.

        ``Model.predict`` costs tens of milliseconds per call. The dense
        encoder without characters is exact in numpy: a token's probabilities
        depend on its id alone, so they are one row of a precomputed
        ``softmax(E @ W + b)`` table. Other encoders run the Keras model
        compiled by TensorFlow (see :func:`_compiled_forward`).
        """
        if getattr(self, "_inference", None) is not None:
            return self._inference
        if self.encoder == "dense" and not self.char_dim:
            embedding = self.model_.get_layer("embedding").get_weights()[0]
            kernel, bias = self.model_.get_layer("tagger").get_weights()
            logits = embedding @ kernel + bias
            logits -= logits.max(axis=1, keepdims=True)
            table = np.exp(logits)
            table /= table.sum(axis=1, keepdims=True)
            self._inference = lambda inputs: table[inputs["token_ids"]]
            self._inference.label_table = table.argmax(axis=1)
        else:
            self._inference = _compiled_forward(self.model_, self.feature_encoder_.input_names,
                                                self.char_vocabulary_)
        return self._inference

    def _check_fitted(self):
        """``check_is_fitted`` without its cost on the predict hot path."""
        if not hasattr(self, "model_"):
            check_is_fitted(self)

    def _predict_probabilities(self, X):
        """Per-sentence probability arrays, computed in length-sorted batches."""
        self._check_fitted()
        sentences = check_sentences(X, tokenizer=self.tokenizer, allow_empty=True)
        infer = self._inference_function()
        by_type = len(sentences) > 1 and getattr(infer, "char_features", None) is not None
        if by_type:
            # Character features once per distinct token, not per occurrence.
            token_ids, rows, types = self.feature_encoder_._encode_distinct(sentences)
            features = {"token_ids": token_ids}
            table = infer.char_features(rows)
        else:
            features = self.feature_encoder_._encode(sentences)
        lengths = [len(ids) for ids in features["token_ids"]]
        if len(lengths) == 1:  # one sentence: no sorting, no copies
            inputs = {name: seqs[0][None] for name, seqs in features.items()}
            return [infer(inputs)[0]] if lengths[0] else [self._no_tokens()]
        out = [self._no_tokens() for _ in lengths]
        for batch in prediction_batches(lengths):
            ids = pad_sequences([features["token_ids"][i] for i in batch])
            if by_type:
                # Padding positions point at row 0: any row will do, they are masked.
                chars = table[pad_sequences([types[i] for i in batch], dtype=np.intp)]
                probs = infer.from_char_features(ids, chars)
            else:
                probs = infer({name: pad_sequences([seqs[i] for i in batch])
                               for name, seqs in features.items()})
            for row, i in enumerate(batch):
                out[i] = probs[row, : lengths[i]]
        return out

    def _no_tokens(self):
        return np.zeros((0, self.n_classes_), dtype=np.float32)

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
        if self.max_steps is not None and "epochs" not in kwargs:
            kwargs["max_steps"] = self.max_steps  # epochs follow from the batches (_fit_epochs)
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
        """Most likely label of each token, or label sequence (see ``decoding``).

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences of any length; unknown tokens are tagged through
            ``[UNK]``; an empty sentence gives an empty label list.

        Returns
        -------
        labels : list of list
            Exactly one label per input token, of the type of the training
            labels. With IOB2 training labels and ``decoding="auto"``, each
            sentence's labels are the most probable valid IOB2 sequence, which
            can differ from the argmax of :meth:`predict_proba` (as a CRF's
            Viterbi path differs from its marginals).
        """
        self._check_fitted()
        if self.decoding == "auto" and getattr(self, "label_scheme_", None) == "iob2":
            allowed, start = iob2_transitions(self.classes_)
            return [self.classes_[best_iob2_path(p, allowed, start)].tolist()
                    for p in self._predict_probabilities(X)]
        label_table = getattr(self._inference_function(), "label_table", None)
        if label_table is None:
            probs = self._predict_probabilities(X)
            return [self.classes_[p.argmax(axis=1)].tolist() for p in probs]
        # Dense encoder: a token's label depends on its id alone, so all
        # tokens are looked up at once, without padding or batches.
        sentences = check_sentences(X, tokenizer=self.tokenizer, allow_empty=True)
        ids = self.vocabulary_._encode([[t for s in sentences for t in s]])[0]
        labels = self.classes_[label_table[ids]].tolist()
        out, start = [], 0
        for sentence in sentences:
            out.append(labels[start : start + len(sentence)])
            start += len(sentence)
        return out

    def save(self, path):
        """Write the fitted tagger to a safe model file (no pickle inside).

        The file loads with :func:`sktag.load`, which unpickles and executes
        nothing; see :mod:`sktag.persistence`. joblib works too, but a joblib
        file runs code when it is loaded: share models as ``.sktag`` files.

        Parameters
        ----------
        path : str or path-like
            Destination, conventionally ``*.sktag``; written atomically.

        Returns
        -------
        path : pathlib.Path
            The path written.
        """
        from .persistence import save

        return save(self, path)

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


def _length_bucket(n):
    """The padded length of a one-sentence batch: a power of two, at least 8."""
    return max(8, 1 << (int(n) - 1).bit_length())


def _compiled_forward(model, names, char_vocabulary):
    """``inputs -> probabilities`` for context encoders, without ``Model.predict``.

    Batches of several sentences go through one ``tf.function`` whose input
    signature leaves batch and length free, so it is traced once. A single
    sentence, the latency-bound case of a service, goes through an
    XLA-compiled function instead (about 3x faster for a BiLSTM on CPU); its
    length is padded to a power of two, so it compiles once per bucket
    (8, 16, 32, ...), not once per length. Padding never reaches real
    tokens (``ZeroPadding`` and masks), and where XLA is unavailable the
    plain function is used.

    For a model with characters (see :func:`~sktag.models.split_at_characters`)
    ``infer.char_features(rows)`` maps the character ids of distinct tokens
    to their features and ``infer.from_char_features(ids, features)`` tags
    batches from them; otherwise both are None.
    """
    import tensorflow as tf

    specs = [tf.TensorSpec((None, None), tf.int32, name="token_ids")]
    if "char_ids" in names:
        specs.append(tf.TensorSpec((None, None, char_vocabulary.max_chars), tf.int32,
                                   name="char_ids"))

    def forward(*inputs):
        return model(model_inputs(dict(zip(names, inputs))), training=False)

    batched = tf.function(forward, input_signature=specs, autograph=False)
    single = tf.function(forward, autograph=False, jit_compile=True)
    compiled = {}  # bucket width -> concrete function: calls skip tf.function's dispatch
    state = {"xla": True}

    def infer(inputs):
        arrays = [inputs[name] for name in names]
        n_sentences, length = arrays[0].shape[:2]
        if n_sentences == 1 and state["xla"]:
            width = _length_bucket(length)
            padded = []
            for a in arrays:
                p = np.zeros((1, width) + a.shape[2:], dtype=np.int32)
                p[:, :length] = a
                padded.append(p)
            try:
                if width not in compiled:
                    compiled[width] = single.get_concrete_function(
                        *(tf.TensorSpec(p.shape, tf.int32) for p in padded)
                    )
                return compiled[width](*padded).numpy()[:, :length]
            except (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError,
                    tf.errors.InternalError, NotImplementedError):
                state["xla"] = False  # no XLA on this platform: plain function from now on
        return batched(*arrays).numpy()

    infer.char_features = infer.from_char_features = None
    split = split_at_characters(model)
    if split is not None:
        char_model, word_model = split
        width = char_model.output.shape[-1]
        chars = tf.function(lambda c: char_model(c, training=False), autograph=False,
                            input_signature=[specs[1]])
        words = tf.function(
            lambda ids, f: word_model([ids, f], training=False), autograph=False,
            input_signature=[specs[0], tf.TensorSpec((None, None, width), tf.float32)],
        )

        def char_features(rows, chunk=4096):
            """Character features of each row of char ids: ``(n_rows, n_features)``."""
            parts = [chars(rows[None, i : i + chunk]).numpy()[0]
                     for i in range(0, len(rows), chunk)]
            return np.concatenate(parts) if parts else np.zeros((0, width), np.float32)

        infer.char_features = char_features
        infer.from_char_features = lambda ids, f: words(ids, f).numpy()
    return infer


class _InterruptGuard(keras.callbacks.Callback):
    """Keep the best weights so far and the history, for a fit that is interrupted.

    Keras lets a ``KeyboardInterrupt`` escape ``Model.fit`` with the weights
    of whichever batch was running and no history. This callback copies the
    weights after each epoch that is the best so far (by ``val_accuracy``
    when validating, else the latest), so :meth:`TokenTagger._fit` can
    leave a usable tagger behind.
    """

    def __init__(self):
        super().__init__()
        self.best_weights = None
        self.best_score = None
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))
        score = logs.get("val_accuracy")
        if score is None or self.best_score is None or score > self.best_score:
            self.best_score = score
            self.best_weights = self.model.get_weights()


def _fresh_copy(callback):
    """A deep copy of a callback, or the callback itself if it cannot be copied."""
    try:
        return copy.deepcopy(callback)
    except Exception:
        return callback


def _without_optimizer(model):
    """An uncompiled copy of ``model`` with the same weights and no optimizer."""
    copy_ = model.__class__.from_config(model.get_config())
    copy_.set_weights(model.get_weights())
    return copy_
