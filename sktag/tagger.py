"""TokenTagger: a neural token classifier that is a scikit-learn estimator.

``TokenTagger`` is a plain :class:`~sklearn.base.BaseEstimator`: its
parameters, validation, labels and predictions are sktag's own. Training is
delegated to :class:`sktag.training.KerasTrainer` (scikeras and Keras,
imported inside ``fit``), prediction to :mod:`sktag.inference` (numpy or
ONNX Runtime), and model files to :mod:`sktag.persistence`. A fitted tagger
holds plain data: encoders, history and weights as numpy arrays.
"""

from typing import ClassVar

from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import validate_parameter_constraints
from sklearn.utils.validation import check_is_fitted

from . import parameters
from .architecture import GraphSpec, serving_weights
from .decoding import Lattice
from .loading import (
    SHAPE_PARAMS,
    check_shape_params,
    copy_without_tokenizer,
    load,
    migrated_state,
    open_model,
)
from .validation import check_labels, check_sentences

__all__ = ["TokenTagger", "load", "open_model"]

#: The parameters prediction reads (they may be set after fit), and their values.
_PREDICTION_OPTIONS = {name: parameters.options(name) for name in ("decoding", "precision")}
#: What training keeps of a tagger; the rest of its fitted state derives from these.
_TRAINED_STATE = ("target_encoder_", "feature_encoder_", "history_", "_random_state",
                  "vectors_dim_", "n_cluster_prefixes_")

class TokenTagger(BaseEstimator):
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
{parameters}
    **kwargs
        Routed parameters in scikeras's style, such as ``optimizer__beta_1``,
        ``fit__validation_freq`` or ``callbacks__0__filename``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels, sorted; the columns of :meth:`predict_proba`.
    n_classes_ : int
        Number of labels.
    label_scheme_ : {"IOB1", "IOB2", "IOBES", "BILOU", None}
        The entity scheme of the training labels
        (:func:`sktag.decoding.detect_scheme`), None for other tags;
        ``decoding="auto"`` then predicts sequences valid in it, and
        :meth:`predict_spans` reads entities in it.
    vocabulary_ : Vocabulary
        The fitted vocabulary.
    char_vocabulary_ : CharVocabulary or None
        The fitted character vocabulary when ``char_dim > 0``.
    model_ : keras.Model
        The trained Keras model, built from the weights on first access
        (this imports TensorFlow; prediction never does).
    vectors_dim_ : int
        Width of the word vectors in the model (``word_vectors``); 0 without.
    n_cluster_prefixes_ : int
        Distinct cluster path prefixes the model embeds (``word_clusters``),
        plus one for "no cluster"; 0 without clusters.
    history_ : dict of str to list of float
        Per-epoch ``loss`` and ``accuracy`` (over real tokens only), plus
        ``val_loss`` and ``val_accuracy`` when validating.

    See Also
    --------
    sktag.Vocabulary : The token-to-id transformer used inside.

    Notes
    -----
    Training runs on Keras (scikeras's ``BaseWrapper`` is the engine, see
    :mod:`sktag.training`); a fitted tagger holds its weights as numpy
    arrays and predicts through ONNX Runtime (see :mod:`sktag.inference`),
    so unpickling or loading one and predicting never imports TensorFlow.

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

    #: What each parameter may be, checked at the start of ``fit``,
    #: ``partial_fit`` and ``initialize`` (scikit-learn's ``_validate_params``);
    #: ``decoding`` also in ``predict``. Routed parameters go to Keras as given.
    #: From the one table of parameters (:mod:`sktag.parameters`).
    _parameter_constraints: ClassVar[dict] = parameters.constraints()

    def __init__(
        self,
        *,
        encoder="dense",
        d_model=64,
        char_dim=0,
        char_classes=True,
        hidden_dim=128,
        n_layers=1,
        output="softmax",
        word_vectors=None,
        word_clusters=None,
        max_vector_words=20000,
        cluster_dim=16,
        fine_tune_vectors=False,
        dropout=0.0,
        epochs=10,
        max_steps=None,
        min_steps=None,
        dtype_policy=None,
        batch_size=32,
        learning_rate=0.005,
        learning_rate_schedule="constant",
        optimizer="adam",
        word_dropout=0.25,
        class_weight=None,
        precision="float32",
        decoding="auto",
        label_scheme=None,
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
        # Parameters only, as scikit-learn requires; routed parameters
        # (optimizer__beta_1, ...) too, checked in fit.
        self.encoder = encoder
        self.d_model = d_model
        self.char_dim = char_dim
        self.char_classes = char_classes
        self.hidden_dim = hidden_dim
        self.n_layers = n_layers
        self.output = output
        self.word_vectors = word_vectors
        self.word_clusters = word_clusters
        self.max_vector_words = max_vector_words
        self.cluster_dim = cluster_dim
        self.fine_tune_vectors = fine_tune_vectors
        self.dropout = dropout
        self.epochs = epochs
        self.max_steps = max_steps
        self.min_steps = min_steps
        self.dtype_policy = dtype_policy
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.optimizer = optimizer
        self.word_dropout = word_dropout
        self.class_weight = class_weight
        self.precision = precision
        self.decoding = decoding
        self.label_scheme = label_scheme
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

    # ------------------------------------------------------------------
    # scikit-learn protocol
    # ------------------------------------------------------------------
    def _get_param_names(self):
        """The constructor's parameters and the routed ones that were given.

        An instance method, as in scikeras (scikit-learn's is a classmethod
        reading ``__init__``): routed parameters exist only on instances.
        """
        return sorted(k for k in vars(self) if not k.startswith("_") and not k.endswith("_"))

    def set_params(self, **params):
        """Set parameters, routed ones (``optimizer__beta_1=0.8``) included.

        Parameters
        ----------
        **params : dict
            Estimator parameters; ``vocabulary__*`` reach the vocabulary.

        Returns
        -------
        self : TokenTagger
        """
        routed = {k: v for k, v in params.items() if parameters.is_routed(k)}
        vars(self).update(routed)
        super().set_params(**{k: v for k, v in params.items() if k not in routed})
        return self

    def __sklearn_tags__(self):
        """Ragged text in, not a classifier.

        The tagger takes ragged text (``string=True, two_d_array=False``) and
        is deliberately not a classifier: scikit-learn would then call
        ``type_of_target`` on the list-of-lists ``y`` and fail (see
        ``check_cv``). Its ``score`` is token accuracy.
        """
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.required = True
        tags.non_deterministic = self.random_state is None
        return tags

    def __sklearn_is_fitted__(self):
        return "_weights" in vars(self)

    def __getstate__(self):
        """Plain data only: no trainer (Keras), no predictor (ONNX Runtime sessions).

        The optimizer's state (Adam keeps two slots per weight: two thirds of
        the size) is kept only when ``keep_optimizer`` or ``warm_start`` ask
        to resume training where it stopped.
        """
        state = dict(vars(self))
        state.pop("_trainer", None)
        state.pop("_predictor", None)
        state.pop("_predictor_precision", None)
        state.pop("_crf", None)
        if "_weights" in state:
            state["_optimizer_state"] = self._kept_optimizer_state()
        return state

    def __setstate__(self, state):
        vars(self).update(migrated_state(state))
        if "_weights" in vars(self):
            self._set_derived_state()

    def _kept_optimizer_state(self):
        """The optimizer's variables if ``keep_optimizer`` or ``warm_start`` ask for them."""
        if not (self.keep_optimizer or self.warm_start):
            return None
        trainer = vars(self).get("_trainer")  # holds the latest state when there is one
        return trainer.optimizer_state() if trainer is not None else self._optimizer_state

    # ------------------------------------------------------------------
    # training
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
            Weight of each sentence, applied to each of its tokens: finite
            numbers >= 0 that float32 holds, not all 0 (only their ratios
            matter). See :func:`sktag.validation.check_sentence_weights`.
        validation_data : tuple, default=None
            ``(X_val, y_val)`` or ``(X_val, y_val, sample_weight_val)``,
            scored after each epoch (``val_loss``, ``val_accuracy``); takes
            precedence over ``validation_split``.
        **kwargs
            For this call only: ``epochs`` and ``initial_epoch``, and
            ``steps_per_epoch``, ``validation_steps`` and ``validation_freq``
            of ``keras.Model.fit``. Any other is a TypeError.

        Returns
        -------
        self : TokenTagger

        Raises
        ------
        ValueError
            With ``warm_start=True``, if a parameter that decides the shapes
            of the weights (``d_model``, ``encoder``, ...) changed since the
            model was fitted.
        """
        self._check_params()
        parameters.check_fit_kwargs("fit", kwargs, ("epochs", "initial_epoch",
                                                   *parameters.KERAS_FIT_KWARGS))
        trainer = (self._trainer_to_continue("fit with warm_start=True") if self.warm_start
                   else self._new_trainer())
        return self._train(trainer.fit, X, y, sample_weight=sample_weight,
                           validation_data=validation_data, **kwargs)

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
            ``validation_data`` as in :meth:`fit`, and ``steps_per_epoch``,
            ``validation_steps`` and ``validation_freq`` of
            ``keras.Model.fit``. Any other is a TypeError.

        Returns
        -------
        self : TokenTagger

        Raises
        ------
        ValueError
            If a parameter that decides the shapes of the weights
            (``d_model``, ``encoder``, ...) changed since the model was fitted.
        """
        self._check_params()
        parameters.check_fit_kwargs("partial_fit", kwargs,
                                    ("validation_data", *parameters.KERAS_FIT_KWARGS))
        return self._train(self._trainer_to_continue("partial_fit").partial_fit, X, y,
                           sample_weight=sample_weight, **kwargs)

    def initialize(self, X, y):
        """Learn the vocabulary and the labels and build an untrained model.

        ``fit`` does this itself; call it to look at a model before
        training (its initial weights, ``model_.summary()``).

        Parameters
        ----------
        X : list of (list of str or str)
            Training sentences.
        y : list of list of (str or int)
            One label per token.

        Returns
        -------
        self : TokenTagger
        """
        self._check_params()
        trainer = self._new_trainer().initialize(X, y)
        trainer.history_ = {}
        self._keep(trainer)
        return self

    def _train(self, method, X, y, **kwargs):
        """Run a trainer's ``fit`` or ``partial_fit`` and keep what it learned.

        An error leaves the tagger as it was. A ``KeyboardInterrupt`` after
        an epoch has finished keeps the best weights so far (the trainer
        rolls back otherwise) and propagates.
        """
        from .training import warn_if_not_converged

        trainer = method.__self__
        try:
            method(X, y, **kwargs)
        except KeyboardInterrupt:
            if trainer.initialized_ and hasattr(trainer, "history_"):
                self._keep(trainer)
            raise
        self._keep(trainer)
        warn_if_not_converged(self, X, y)
        return self

    def _new_trainer(self):
        from .training import KerasTrainer

        return KerasTrainer(**self.get_params(deep=False))

    def _trainer_to_continue(self, action):
        """The trainer of the fitted model (rebuilt from the weights if need be), or a new one.

        ``action`` names, in the error, what needs it when a parameter that
        decides the weights' shapes changed since fit.
        """
        if not self.__sklearn_is_fitted__():
            return self._new_trainer()
        self._check_shape_params(action)
        trainer = vars(self).get("_trainer")
        if trainer is None:
            from .training import KerasTrainer

            fitted = {name: getattr(self, name) for name in _TRAINED_STATE}
            fitted["seed_"] = fitted.pop("_random_state")  # the trainer's public name for it
            trainer = KerasTrainer.resume(self.get_params(deep=False), fitted, self._weights,
                                          self._optimizer_state)
            self._trainer = trainer
        vars(trainer).update(self.get_params(deep=False))  # set_params since the last fit
        return trainer

    def _keep(self, trainer):
        """Copy the trained state: encoders, history, weights as numpy arrays."""
        self._trainer = trainer
        self._weights = trainer.weights()
        self._optimizer_state = None  # the trainer holds it; __getstate__ asks for it
        self.target_encoder_ = trainer.target_encoder_
        self.feature_encoder_ = trainer.feature_encoder_
        self.history_ = {key: list(values) for key, values in trainer.history_.items()}
        self._random_state = trainer.seed_
        self.vectors_dim_ = trainer.vectors_dim_
        self.n_cluster_prefixes_ = trainer.n_cluster_prefixes_
        self._fitted_shape_params = {name: getattr(self, name) for name in SHAPE_PARAMS}
        self._set_derived_state()

    def _set_derived_state(self):
        vars(self).update(self.target_encoder_.get_metadata())
        vars(self).update(self.feature_encoder_.get_metadata())
        self._predictor = None
        self._crf = None

    @property
    def model_(self):
        """The trained Keras model (imports TensorFlow; built from the weights once)."""
        check_is_fitted(self)
        return self._trainer_to_continue("model_").model_

    # ------------------------------------------------------------------
    # parameters
    # ------------------------------------------------------------------
    def _check_params(self):
        """Reject unknown parameters, then check each against ``_parameter_constraints``.

        scikit-learn's own validation (``InvalidParameterError``, a
        ``ValueError`` and a ``TypeError``), which names the parameter, the
        allowed values and the value given.
        """
        parameters.check_names(self._get_param_names())
        self._validate_params()

    def _check_shape_params(self, action):
        """Raise if a parameter that decides the weights' shapes changed since fit.

        The weights follow the values the model was fitted with; ``action``
        (``"partial_fit"``, ``"save"``, ...) cannot use them with others.
        """
        check_shape_params(self._fitted_shape_params, self.get_params(deep=False), action)

    def _check_prediction_params(self):
        """Check the parameters prediction reads, which may be set after fit."""
        if all(getattr(self, name) in values for name, values in _PREDICTION_OPTIONS.items()):
            return  # the hot path; scikit-learn's check below says what is wrong
        validate_parameter_constraints(
            {name: self._parameter_constraints[name] for name in _PREDICTION_OPTIONS},
            {name: getattr(self, name) for name in _PREDICTION_OPTIONS},
            caller_name=type(self).__name__)

    # ------------------------------------------------------------------
    # prediction
    # ------------------------------------------------------------------
    def _check_fitted(self):
        """``check_is_fitted`` without its cost on the predict hot path."""
        if "_weights" not in vars(self):
            check_is_fitted(self)

    def _prediction_path(self):
        """The predictor of these weights (see :mod:`sktag.inference`), built once per ``precision``."""
        predictor = vars(self).get("_predictor")
        if predictor is None or vars(self).get("_predictor_precision") != self.precision:
            from .inference import make_predictor

            predictor = make_predictor(self._prediction_path_spec(),
                                       serving_weights(self._weights),
                                       self.feature_encoder_, self.n_classes_,
                                       precision=self.precision)
            self._predictor, self._predictor_precision = predictor, self.precision
        return predictor

    def _prediction_path_spec(self):
        """The :class:`~sktag.architecture.GraphSpec` of the fitted model.

        From the parameters the model was fitted with: predictions depend on
        the fitted model alone, as in scikit-learn, not on ``set_params``
        since.
        """
        return GraphSpec.from_params(self._fitted_shape_params,
                                     char_vocabulary=self.char_vocabulary_)

    def _sentences(self, X):
        self._check_fitted()
        self._check_prediction_params()
        return check_sentences(X, tokenizer=self.tokenizer, allow_empty=True)

    def predict_proba(self, X):
        """Probability of each label for each token.

        Parameters
        ----------
        X : list of (list of str or str)
            Sentences of any length; empty sentences are allowed.

        Returns
        -------
        proba : list of ndarray of shape (n_tokens_i, n_classes)
            Rows sum to 1; columns follow ``classes_``. With
            ``output="crf"``, the CRF's marginals: the probability of each
            label at each token over the label sequences the CRF allows.
        """
        sentences = self._sentences(X)
        probabilities = self._prediction_path().probabilities(sentences)
        lattice = self._crf_lattice()
        if lattice is None:
            return probabilities
        return [lattice.token_marginals(p).astype(p.dtype) for p in probabilities]

    def _crf_lattice(self):
        """The CRF's lattice (its learned transition scores), or None for a softmax model."""
        if self._fitted_shape_params.get("output", "softmax") != "crf":
            return None
        if vars(self).get("_crf") is None:  # built once per fitted model
            self._crf = Lattice(self.classes_, self.label_scheme_, transitions=self._weights["crf"])
        return self._crf

    def _decoding_lattice(self):
        """The lattice ``predict`` decodes on: the CRF's, else the entity scheme's, else None."""
        lattice = self._crf_lattice()
        if lattice is None and self.label_scheme_ is not None:
            lattice = Lattice(self.classes_, self.label_scheme_)
        return lattice

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
            labels. With entity training labels (``label_scheme_`` IOB1,
            IOB2, IOBES or BILOU) and ``decoding="auto"``, each sentence's
            labels are the most probable sequence valid in that scheme, which
            can differ from the argmax of :meth:`predict_proba` (as a CRF's
            Viterbi path differs from its marginals).
        """
        sentences = self._sentences(X)
        path = self._prediction_path()
        lattice = self._decoding_lattice()
        if self.decoding == "auto" and lattice is not None:
            return [self.classes_[lattice.best_path(p)].tolist()
                    for p in path.probabilities(sentences)]
        if self._crf_lattice() is not None:  # argmax of the CRF's marginals
            return [self.classes_[m.argmax(axis=1)].tolist() for m in self.predict_proba(X)]
        return path.labels(sentences, self.classes_)

    def predict_spans(self, X, *, min_score=0.0, split_sentences=False):
        """The entities of each text, with character offsets and probabilities.

        A str is tokenized with offsets: by ``tokenizer`` when the tagger has
        one (its ``tokenize`` method if it has one, such as
        :class:`~sktag.tokenization.RegexTokenizer`, else its tokens are
        found in the text), otherwise by :func:`sktag.tokenization.tokenize`,
        which splits words from punctuation as UD English and CoNLL data are
        tokenized. A list of tokens is tagged as it is; its offsets point into
        ``" ".join(tokens)``. Each text is decoded to its most probable tagging
        valid in ``label_scheme_``, whatever ``decoding`` says.

        Parameters
        ----------
        X : list of (str or list of str)
            Texts, or sentences already split into tokens.
        min_score : float, default=0.0
            Leave out spans whose ``score`` is below this.
        split_sentences : bool, default=False
            Split each str into sentences (:func:`sktag.tokenization.split_sentences`)
            and tag them one by one; offsets still point into the whole text.

        Returns
        -------
        spans : list of list of Span
            For each text, its :class:`~sktag.spans.Span` objects in text
            order: ``start``, ``end`` (``text[start:end]`` is the span's
            text), ``label``, ``text``, ``score`` and the token indices
            ``token_start``, ``token_end``. ``score`` is the probability, under
            the model restricted to valid sequences of the scheme, that the
            sentence holds exactly this entity (forward-backward over the
            lattice ``decoding="auto"`` uses); it is not calibrated unless the
            model is. Spans never overlap.

        Raises
        ------
        ValueError
            The training labels are not an entity tagging (``label_scheme_``
            is None).
        """
        return [[span for span in result["spans"] if span.score >= min_score]
                for result in self._annotate(X, split_sentences, entities=True)]

    def annotate(self, X, *, split_sentences=False):
        """Tokens with offsets, tags and probabilities, and the entities: JSON-ready.

        What ``sktag predict --output-format jsonl`` writes for each line.

        Parameters
        ----------
        X : list of (str or list of str)
            Texts (tokenized as :meth:`predict_spans` does), or token lists.
        split_sentences : bool, default=False
            See :meth:`predict_spans`.

        Returns
        -------
        results : list of dict
            For each text: ``text``; ``tokens``, a list of dicts with
            ``text``, ``start``, ``end``, ``tag`` and ``probability`` (for an
            entity tagging, the probability of that tag at that token under
            the valid-sequence distribution the span scores use; otherwise
            ``predict_proba``'s); and, for an entity tagging, ``spans``
            (:meth:`Span.to_dict <sktag.spans.Span.to_dict>`).
        """
        results = self._annotate(X, split_sentences, entities=self.label_scheme_ is not None)
        for result in results:
            result["spans"] = [span.to_dict() for span in result["spans"]]
            if self.label_scheme_ is None:
                del result["spans"]
        return results

    def _annotate(self, X, split_sentences, entities):
        from .spans import annotate_texts

        self._check_fitted()
        self._check_prediction_params()
        if entities and self.label_scheme_ is None:
            raise ValueError(
                "predict_spans needs an entity tagging (IOB1, IOB2, IOBES or BILOU labels); "
                f"this tagger was trained on labels such as {self.classes_[:5].tolist()}. "
                "Use predict for other tags.")
        return annotate_texts(X, self._prediction_path().probabilities, self.classes_,
                              tokenizer=self.tokenizer,
                              lattice=self._decoding_lattice() if entities else None,
                              scheme=self.label_scheme_, split_sentences=split_sentences)

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
        from .metrics import (
            token_accuracy,  # scikit-learn's metrics: not on the serving path
        )

        check_is_fitted(self)
        sentences = check_sentences(X, tokenizer=self.tokenizer, allow_empty=True)
        labels = check_labels(y, [len(s) for s in sentences])
        self.target_encoder_.check_label_type(labels)
        return token_accuracy(labels, self.predict(sentences), sample_weight=sample_weight)

    def to_onnx(self, path=None):
        """The whole tagger as one standalone ONNX model, for any ONNX runtime.

        Inputs ``token_ids`` int64 ``(batch, length)``, right-padded with 0,
        and, when the model has characters (``char_dim > 0``), ``char_ids``
        int64 ``(batch, length, max_chars)``; output ``probabilities``
        float32 ``(batch, length, n_classes)``, columns in the order of
        ``classes_``. The model's metadata entry ``sktag.preprocessing``
        is a JSON object with what a service in any language needs to turn
        tokens into those ids and probabilities into labels: the
        vocabulary, the character table, the labels and the rules; see
        the user guide's ONNX page for the format and a client that uses no
        sktag code.

        Parameters
        ----------
        path : str or path-like, default=None
            Also write the model there.

        Returns
        -------
        model : onnx.ModelProto
        """
        check_is_fitted(self)
        from .export import export_onnx, preprocessing_metadata

        lattice = self._crf_lattice()
        metadata = preprocessing_metadata(
            self.classes_, self.label_scheme_, self.vocabulary_, self.char_vocabulary_,
            crf_transitions=self._weights["crf"] if lattice is not None else None,
            crf_lattice=lattice)
        return export_onnx(self._prediction_path_spec(), serving_weights(self._weights),
                           metadata, path, precision=self.precision)

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

        Raises
        ------
        ValueError
            If a parameter that decides the shapes of the weights changed
            since fit: the file could not describe them.
        """
        check_is_fitted(self)
        self._check_shape_params("save")
        from .persistence import write_model_file

        encoder = copy_without_tokenizer(self.feature_encoder_)
        pretrained = {name: getattr(self, name) for name in ("vectors_dim_", "n_cluster_prefixes_")
                      if getattr(self, name)}  # files without pretrained features lack them
        return write_model_file(path, {
            "params": self.get_params(deep=False),
            "fitted": {"target_encoder_": self.target_encoder_, "feature_encoder_": encoder,
                       "history_": self.history_, "_random_state": self._random_state,
                       **pretrained},
            "weights": self._weights,
            "optimizer_state": self._kept_optimizer_state(),
        })


if TokenTagger.__doc__ is not None:  # None under python -OO
    # Each parameter's entry is written once, in its row of the table.
    TokenTagger.__doc__ = TokenTagger.__doc__.replace("{parameters}", parameters.numpydoc())
