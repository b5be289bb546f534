"""Training: the scikeras wrapper that fits sktag's Keras models.

:class:`~sktag.TokenTagger` is a plain scikit-learn estimator that predicts
without TensorFlow. This module is where Keras, TensorFlow and scikeras come
in, and the only sktag module that imports scikeras: ``TokenTagger.fit``
builds a :class:`KerasTrainer` from its own parameters, lets it train and
keeps the weights, the encoders and the history.

scikeras stays the training engine: its public ``fit``, ``partial_fit`` and
``initialize`` flow (epochs, ``initial_epoch``, warm starts,
``current_epoch``), ``get_params`` / ``set_params`` with routed
``optimizer__*``, ``fit__*`` and ``callbacks__*`` parameters, the compiling
of routed callbacks, and its TensorFlow seeding. sktag plugs in through
scikeras's documented hooks (``feature_encoder``, ``target_encoder``, the
public ``fit`` and ``initialize``) and overrides two private members,
``_fit`` and ``_initialize_callbacks``: no documented hook carries ragged
sentences in length-bucketed batches. Those two overrides are the reason
scikeras is pinned exactly in ``pyproject.toml``; ``docs/design.md`` ("What
sktag overrides in scikeras") gives the reason for each.

Call order of ``TokenTagger.fit`` (``[scikeras]`` and ``[keras]`` mark
their steps; every other step is sktag's, in this module unless named)::

    TokenTagger.fit                        tagger.py: parameters, fit kwargs
      TokenTagger._new_trainer             (_trainer_to_continue with warm_start)
      TokenTagger._train
        KerasTrainer.fit                   validation_data, max_steps, min_steps
          BaseWrapper.fit                  [scikeras] epochs, initial_epoch, warm_start
            KerasTrainer._fit              rollback on error, best weights on Ctrl-C
              KerasTrainer._fit_epochs
                _setup                     first fit (a warm one: _check_data and
                                           _initialize_callbacks only)
                  _seed                    seed_ from random_state
                  _check_data              validation.check_sentences, check_labels
                  target_encoder.fit       labels.SequenceLabelEncoder
                  feature_encoder.fit      features.SentenceEncoder
                  _build_model             models.build_model, then _compile
                  _initialize_callbacks    [scikeras] callbacks compiled, then fresh
                                           copies (callbacks.fresh_copy), EarlyStopping
                _compile_if_needed
                _encode                    batching.EncodedSentences
                _encode_validation_data    (or EncodedSentences.split_tail)
                _class_weights
                batching.SentenceBatches   length-bucketed tf.data, per-token weights
                _epochs                    max_steps / min_steps -> epochs
                _routed                    fit__* parameters
                keras Model.fit            [keras] callbacks: the user's,
                                           callbacks.cosine_schedule, InterruptGuard
                _record_history
        TokenTagger._keep                  weights(), encoders, history_, seed_

``TokenTagger.partial_fit`` enters at ``BaseWrapper.partial_fit``
[scikeras] (one epoch from ``current_epoch``), then ``_fit`` as above.
``TokenTagger.initialize`` calls :meth:`KerasTrainer.initialize`, which is
``_setup``. A fitted tagger continues from :meth:`KerasTrainer.resume`.
"""

import collections
import contextlib
import itertools
import warnings

import numpy as np

from ._tensorflow import keras, quiet_stderr  # isort: skip  (before scikeras: it imports TF)
from scikeras.utils.random_state import tensorflow_random_state  # isort: skip
from scikeras.wrappers import BaseWrapper  # isort: skip

from .batching import EncodedSentences, SentenceBatches
from .callbacks import InterruptGuard, cosine_schedule, fresh_copy
from .crf_layer import CRFLoss
from .features import SentenceEncoder
from .keras_reading import keras_weights
from .labels import SequenceLabelEncoder
from .models import TokenAccuracy, build_model, find_layer, word_dropout_probabilities
from .pretrained import WordFeatureShapes, extra_words, load_word_features, word_tables
from .validation import (
    check_class_weight,
    check_labels,
    check_sentence_weights,
    check_sentences,
    check_token_weights,
)
from .vocabulary import CharVocabulary

__all__ = ["KerasTrainer", "warn_if_not_converged"]


class KerasTrainer(BaseWrapper):
    """Train one TokenTagger's Keras model; built by ``TokenTagger.fit``.

    Parameters
    ----------
    **params
        The parameters of the :class:`~sktag.TokenTagger` it trains for
        (``get_params(deep=False)``, routed ones included).

    Attributes
    ----------
    seed_ : int or None
        The seed of the model's initial weights, dropout and batch order:
        ``random_state`` itself, or an int drawn from a copy of it when it
        is a ``RandomState``. None when ``random_state`` is None.
    vectors_dim_ : int
        Width of the model's word vectors (``word_vectors``); 0 without.
    n_cluster_prefixes_ : int
        Rows of its cluster prefix embedding (``word_clusters``); 0 without.
    """

    def __init__(self, **params):
        # BaseWrapper.__init__ is not called: it would add scikeras parameters
        # (model, loss, metrics, ...) that sktag decides itself.
        vars(self).update(params)

    # ------------------------------------------------------------------
    # what scikeras calls: its documented hooks, then the two private
    # members sktag overrides (scikeras pinned; see docs/design.md)
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
        return SequenceLabelEncoder(scheme=self.label_scheme)

    def fit(self, X, y, sample_weight=None, *, validation_data=None, **kwargs):
        """scikeras's ``fit``, with ``validation_data``, ``max_steps`` and ``min_steps`` passed on to :meth:`_fit`."""
        if validation_data is not None:
            kwargs["validation_data"] = validation_data
        if "epochs" not in kwargs:  # epochs follow from the batches (_epochs)
            kwargs["max_steps"] = self.max_steps
            kwargs["min_steps"] = self.min_steps
        return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    def initialize(self, X, y=None):
        """Fit the encoders and build the model without training (see :meth:`_setup`).

        Replaces scikeras's public ``initialize``, which calls its private
        ``_initialize``.
        """
        self._setup(X, y)
        return self

    def _fit(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        """Train on length-bucketed batches with padding weighted out.

        Overrides scikeras's private ``_fit``, which scikeras's ``fit`` and
        ``partial_fit`` call and which pads the whole training set to its
        longest sentence and hands Keras one big array. sktag batches
        sentences of similar length (padding stays a small share of the
        computed positions), gives every real token its sentence's weight and
        padding weight 0, holds out ``validation_split`` (the last sentences,
        as Keras does) or encodes ``validation_data`` with the fitted
        encoders, and keeps ``history_`` a plain dict (:meth:`_fit_epochs`).

        A ``KeyboardInterrupt`` leaves the trainer fitted with the best
        weights so far (see :class:`~sktag.callbacks.InterruptGuard`), or as
        it was before this call when no epoch finished; any other error also
        leaves it as it was. The exception then propagates.
        """
        before = dict(vars(self))
        continuing = (self.warm_start or warm_start) and self.initialized_
        weights_before = self.model_.get_weights() if continuing else None
        guard = InterruptGuard()
        try:
            self._fit_epochs(X, y, sample_weight, warm_start, epochs, initial_epoch, guard,
                             **kwargs)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt) and guard.best_weights is not None:
                self.model_.set_weights(guard.best_weights)
                self._record_history(guard.history, warm_start, initial_epoch)
            else:  # an error, or Ctrl-C before any epoch ended: back to the state before
                vars(self).clear()
                vars(self).update(before)
                if weights_before is not None:
                    self.model_.set_weights(weights_before)
            raise

    def _initialize_callbacks(self):
        """Copy the user's callbacks and add early stopping.

        Extends scikeras's private ``_initialize_callbacks``, which compiles
        the ``callbacks`` parameter (classes with routed ``callbacks__*``
        arguments included) into ``_fit_callbacks`` and trains with the very
        callback objects given. Keras mutates them (it attaches the model,
        opens files), which breaks scikit-learn's rule that ``fit`` leaves
        parameters alone, and makes a fitted tagger unpicklable after, say, a
        ``CSVLogger`` closed its file. Each fit therefore uses fresh copies.
        """
        super()._initialize_callbacks()
        self._fit_callbacks = [fresh_copy(cb) for cb in self._fit_callbacks]
        self._predict_callbacks = [fresh_copy(cb) for cb in self._predict_callbacks]
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

    # ------------------------------------------------------------------
    # sktag's steps, in the order _fit calls them
    # ------------------------------------------------------------------
    def _fit_epochs(self, X, y, sample_weight, warm_start, epochs, initial_epoch, guard,
                    **kwargs):
        """The body of :meth:`_fit`: encode, batch, and run ``keras.Model.fit``."""
        if not ((self.warm_start or warm_start) and self.initialized_):
            X, y = self._setup(X, y)
        else:
            X, y = self._check_data(X, y)
            self._initialize_callbacks()  # callbacks may have changed since the last fit
        self._compile_if_needed()
        train = self._encode(X, y, check_sentence_weights(sample_weight, len(X)))
        validation = kwargs.pop("validation_data", None)
        max_steps = kwargs.pop("max_steps", None)
        min_steps = kwargs.pop("min_steps", None)
        if validation is not None:
            validation = self._encode_validation_data(validation)
        else:
            split = self.validation_split or (0.1 if self.early_stopping else 0.0)
            if split:
                train, validation = train.split_tail(split)
                check_token_weights(validation.weights, validation.labels,
                                    name="sample_weight (of the validation_split sentences)")
        class_weights = self._class_weights(train)
        check_token_weights(train.weights, train.labels, class_weights)
        seed = self.seed_
        if seed is None:
            seed = np.random.randint(2**31 - 1)
        padding = -1 if self.output == "crf" else 0  # the CRF's loss needs the lengths
        train_batches = SentenceBatches(
            train, self.batch_size, shuffle=self.shuffle, seed=seed,
            class_weights=class_weights, label_padding=padding,
        )
        epochs = _epochs(epochs, len(train_batches), max_steps, min_steps)
        if validation is not None:
            validation = SentenceBatches(validation, self.batch_size,
                                         label_padding=padding).to_dataset()
        fit_args = _routed(self.get_params(), "fit", strict=True)
        fit_args.update(kwargs)
        with self._seeded(), quiet_stderr():
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

    def _setup(self, X, y=None):
        """Draw the seed, check the data, fit the encoders, build the model and callbacks.

        sktag's version of scikeras's private ``_initialize``, which checks
        the data with ``check_X_y`` (it rejects ragged sentences and str
        tokens) and reads the feature encoder's metadata from a new, unfitted
        encoder (``self.feature_encoder`` instead of ``self.feature_encoder_``).
        Returns the checked ``X`` and ``y``.
        """
        self.seed_ = _seed(self.random_state)
        X, y = self._check_data(X, y)
        target_encoder = self.target_encoder.fit(y)
        if target_encoder.n_classes_ < 2:
            raise ValueError(
                f"y has a single distinct label, {target_encoder.classes_[0]!r}; a tagger "
                f"needs at least two labels to choose between."
            )
        self.target_encoder_ = target_encoder
        vars(self).update(self.target_encoder_.get_metadata())
        vectors, clusters = load_word_features(self.word_vectors, self.word_clusters)
        extra = None
        if vectors is not None or clusters is not None:
            extra = extra_words(vectors, clusters, self.max_vector_words,
                                lowercase_vocabulary=getattr(self.vocabulary, "lowercase", False))
        self.feature_encoder_ = self.feature_encoder.fit(X, extra_words=extra)
        vars(self).update(self.feature_encoder_.get_metadata())
        tables, self.n_cluster_prefixes_ = word_tables(self.vocabulary_, vectors, clusters)
        self.vectors_dim_ = 0 if vectors is None else vectors.dim
        self.model_ = self._build_model()
        for name, table in tables.items():
            find_layer(self.model_, name).set_weights([table])
        self._initialize_callbacks()
        return X, y

    def _check_data(self, X, y=None):
        """Validate ragged sentences and labels (scikeras's ``check_X_y`` rejects them)."""
        sentences = check_sentences(X, tokenizer=self.tokenizer, allow_empty=False)
        if y is not None:
            y = check_labels(y, [len(s) for s in sentences])
        return sentences, y

    def _build_model(self):
        """Build and compile the model from TokenTagger's own parameters.

        Instead of scikeras's ``model``/``build_fn`` machinery: the loss is
        fixed (sparse cross-entropy averaged over real tokens) and accuracy
        is a *weighted* metric, so padding (weight 0) counts in neither.
        """
        model = self._new_model()
        self._compile(model)
        return model

    def _new_model(self):
        """The uncompiled Keras model of the parameters and fitted vocabularies."""
        vocab = self.vocabulary_
        rates = targets = None
        if self.word_dropout:
            rates = word_dropout_probabilities(vocab.counts_, self.word_dropout, vocab.n_special_)
            targets = vocab.unknown_ids()
        word_features = WordFeatureShapes(
            n_extra=getattr(vocab, "n_extra_", 0), vectors_dim=self.vectors_dim_,
            n_cluster_prefixes=self.n_cluster_prefixes_, cluster_dim=self.cluster_dim,
            fine_tune_vectors=self.fine_tune_vectors)
        with self._seeded(), _dtype_policy(self.dtype_policy):
            return build_model(
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
                output=self.output,
                word_features=word_features or None,
                seed=self.seed_,  # not Python's global random: see build_model
            )

    def _seeded(self):
        if self.seed_ is None:
            return contextlib.nullcontext()
        return tensorflow_random_state(self.seed_)

    def _compile(self, model):
        """Compile with the padding-free loss and accuracy and a fresh, built optimizer.

        The optimizer's variables are made here, eagerly, as Keras itself does
        only under a distribution strategy. Left to the first update, they
        are created while TensorFlow traces the train step, and TensorFlow
        then traces it a second time without them (docs/design.md has the
        measurement).
        """
        loss = (CRFLoss(find_layer(model, "crf")) if self.output == "crf" else
                keras.losses.SparseCategoricalCrossentropy(reduction="mean_with_sample_weight"))
        model.compile(
            optimizer=self._make_optimizer(),
            loss=loss,
            weighted_metrics=[TokenAccuracy(name="accuracy")],
            steps_per_execution=self.steps_per_execution,
        )
        model.optimizer.build(model.trainable_variables)

    def _make_optimizer(self):
        """The optimizer with routed ``optimizer__*`` arguments and ``learning_rate``."""
        routed = _routed(self.get_params(), "optimizer")
        routed.setdefault("learning_rate", self.learning_rate)
        optimizer = self.optimizer
        if isinstance(optimizer, keras.optimizers.Optimizer):
            return optimizer.__class__.from_config({**optimizer.get_config(), **routed})
        if isinstance(optimizer, str):
            optimizer = keras.optimizers.get(optimizer).__class__
        return optimizer(**routed)

    def _compile_if_needed(self):
        """Compile a model loaded without its optimizer (see ``keep_optimizer``).

        Also applies a ``steps_per_execution`` changed since the last fit.
        (scikeras's private ``_ensure_compiled_model`` would compile from
        scikeras's own ``loss``/``metrics`` parameters.)
        """
        if not self.model_.compiled:
            self._compile(self.model_)
        elif self.model_.steps_per_execution != self.steps_per_execution:
            # Changed between warm fits: rebuild the train step, keep the optimizer.
            self.model_.steps_per_execution = self.steps_per_execution
            self.model_.make_train_function(force=True)
            self.model_.make_test_function(force=True)

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
            weights = check_sentence_weights(validation_data[2], len(X_val),
                                             name="sample_weight_val")
        validation = self._encode(X_val, y_val, weights, name="y_val")
        check_token_weights(validation.weights, validation.labels, name="sample_weight_val")
        return validation

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
            return check_class_weight(self.class_weight, self.classes_).astype(np.float32)
        raise ValueError(
            f"class_weight must be None, 'balanced' or a dict label -> weight, "
            f"got {self.class_weight!r}."
        )

    def _schedule(self, initial_epoch, epochs):
        """The learning-rate callback of ``learning_rate_schedule``, as a list."""
        if self.learning_rate_schedule == "constant":
            return []
        return [cosine_schedule(self.learning_rate, initial_epoch, epochs)]

    def _record_history(self, history, warm_start, initial_epoch):
        """Set ``history_``, or extend it when training continues."""
        if not warm_start or not hasattr(self, "history_") or initial_epoch == 0:
            self.history_ = {}
        for key, values in history.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)

    # ------------------------------------------------------------------
    # state in and out, for TokenTagger
    # ------------------------------------------------------------------
    @classmethod
    def resume(cls, params, fitted, weights, optimizer_state=None):
        """A trainer that continues from a fitted tagger's state.

        Parameters
        ----------
        params : dict
            The tagger's parameters.
        fitted : dict
            ``target_encoder_``, ``feature_encoder_``, ``history_``,
            ``seed_``, ``vectors_dim_`` and ``n_cluster_prefixes_``.
        weights : dict of str to list of ndarray
            Layer name -> weights (see :meth:`weights`).
        optimizer_state : list of ndarray, default=None
            The optimizer's variables; None compiles a fresh optimizer at
            the next fit.
        """
        trainer = cls(**params)
        vars(trainer).update(fitted)
        vars(trainer).update(trainer.target_encoder_.get_metadata())
        vars(trainer).update(trainer.feature_encoder_.get_metadata())
        model = trainer._new_model()
        for name, arrays in weights.items():
            find_layer(model, name).set_weights(arrays)
        if optimizer_state is not None:
            trainer._compile(model)
            optimizer = _unscaled(model.optimizer)
            for variable, value in zip(optimizer.variables, optimizer_state, strict=True):
                variable.assign(value)
        trainer.model_ = model
        trainer._initialize_callbacks()
        return trainer

    def weights(self):
        """Layer name -> weights of the trained model (plain numpy arrays)."""
        return keras_weights(self.model_)

    def optimizer_state(self):
        """The optimizer's variables, or None when the model is not compiled."""
        if not self.model_.compiled or not self.model_.optimizer.built:
            return None
        return [np.array(v.numpy()) for v in _unscaled(self.model_.optimizer).variables]


def _seed(random_state):
    """The seed Keras needs: an int or None, drawn from a copy of a ``RandomState``.

    The copy leaves the user's ``RandomState`` untouched, and the same state
    gives the same seed.
    """
    if isinstance(random_state, np.random.RandomState):
        state = np.random.RandomState()
        state.set_state(random_state.get_state())
        return int(state.randint(2**31 - 1))
    return random_state


def _epochs(epochs, batches_per_epoch, max_steps, min_steps):
    """The epochs to train: ``epochs``, or as many as ``max_steps`` and ``min_steps`` ask.

    ``max_steps`` gives the whole epochs that fit in it (at least one);
    ``min_steps`` then raises that to the epochs that reach it.
    """
    if max_steps is not None:
        epochs = max(1, max_steps // batches_per_epoch)
    if min_steps is not None:
        epochs = max(epochs, -(-min_steps // batches_per_epoch))
    return epochs


def _routed(params, destination, strict=False):
    """The parameters routed to ``destination``, without their prefix, as scikeras routes them.

    ``fit__validation_freq`` -> ``validation_freq`` for ``"fit"``. With
    ``strict``, a name routed further (``fit__a__b``) is left out.
    """
    prefix = destination + "__"
    routed = {}
    for key, value in params.items():
        name = key[len(prefix):]
        if key.startswith(prefix) and not (strict and "__" in name):
            routed[name] = value
    return routed


def _unscaled(optimizer):
    """The optimizer itself, not mixed_float16's ``LossScaleOptimizer`` around it.

    Its variables are the state sktag keeps: the same under every policy
    (the loss scale adapts again within a few steps).
    """
    return getattr(optimizer, "inner_optimizer", optimizer)


@contextlib.contextmanager
def _dtype_policy(name):
    """Keras's global dtype policy set to ``name`` while a model is built (None: as it is).

    Layers take the global policy when they are created, so the policy of a
    model is decided here, once; the global one is restored after.
    """
    if name is None:
        yield
        return
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


#: Sentences of the training data that the convergence check predicts, at most.
_CONVERGENCE_SAMPLE = 1000


def warn_if_not_converged(tagger, X, y):
    """Warn (ConvergenceWarning) when a fit ended with a NaN loss, or predicting
    the majority label for (almost) every training token that has another one.

    ``TokenTagger.fit`` and ``partial_fit`` call it on their data, after
    training (the warnings point at the caller's call of ``fit``).
    """
    from sklearn.exceptions import ConvergenceWarning

    loss = tagger.history_.get("loss", [])
    if loss and not np.isfinite(loss[-1]):
        warnings.warn(ConvergenceWarning(
            f"TokenTagger: the training loss is {loss[-1]} after epoch {len(loss)}: the "
            f"weights are not usable. Lower learning_rate (it is {tagger.learning_rate}), "
            f"or check sample_weight and class_weight."), stacklevel=3)
        return
    X = list(itertools.islice(X, _CONVERGENCE_SAMPLE))
    y = [list(labels) for labels in itertools.islice(y, len(X))]
    true = [label for labels in y for label in labels]
    majority, _ = collections.Counter(true).most_common(1)[0]
    predicted = [label for labels in tagger.predict(X) for label in labels]
    others = [p for t, p in zip(true, predicted) if t != majority]
    if len(others) >= 10 and sum(p == majority for p in others) >= 0.95 * len(others):
        share = sum(p == majority for p in others) / len(others)
        warnings.warn(ConvergenceWarning(
            f"TokenTagger: after fit, {share:.0%} of the training tokens not labelled "
            f"{majority!r} are predicted {majority!r}: the model learned little beyond the "
            f"majority label. Train longer (epochs, min_steps), raise learning_rate, or for "
            f"entity tags start from sktag.configurations.entities()."), stacklevel=3)
