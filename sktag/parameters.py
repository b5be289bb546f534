"""TokenTagger's parameters: one table, and everything made from it.

Each :class:`Parameter` row says once what a parameter is:

* its default (``TokenTagger.__init__`` spells the same value, as
  scikit-learn's signatures must; a test keeps the two equal);
* its scikit-learn constraints (``Interval``, ``StrOptions`` ...), with the
  bounds that protect the machine (``d_model`` at most 8192, ``n_layers`` at
  most 64 ...). They are ``TokenTagger._parameter_constraints``, the check of
  a model file's parameters (so a fitted tagger always saves and a file
  holds nothing the estimator would refuse) and the check of a command-line
  option;
* its place in a model file: :data:`SHAPE` (decides the weights' shapes,
  every file holds it), :data:`STORED` (a file that predates it loads with
  the default) or :data:`CODE` (code or live objects, never stored: given
  again at load);
* its ``sktag train`` option and help, when it has one;
* its entry in ``TokenTagger``'s numpydoc docstring (:func:`numpydoc`).

Adding a parameter is one row here, the argument of ``TokenTagger.__init__``
(scikit-learn reads the parameters from its signature), and its use.
"""

import argparse
import difflib
import textwrap
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)

from .architecture import ENCODERS, OUTPUTS, PRECISIONS
from .schemes import ENTITY_SCHEMES

__all__ = ["CODE", "KERAS_FIT_KWARGS", "NAMES", "PARAMETERS", "ROUTED_PREFIXES", "SHAPE", "STORED",
           "Parameter", "add_options", "check_fit_kwargs", "check_names", "constraints",
           "defaults", "is_routed", "numpydoc", "option_values", "options", "refusal"]

#: Decides the shapes of the weights: every model file holds it.
SHAPE = "shape"
#: Stored in model files; a file that predates the parameter loads with its default.
STORED = "stored"
#: Code or a live object (a callable, callbacks): never stored, given again at load.
CODE = "code"

#: The constraints of a parameter checked by its own reader at fit (scikit-learn's
#: ``"no_validation"``): ``word_vectors`` and ``word_clusters``, whose readers say what to pass.
NO_VALIDATION = "no_validation"

_INT32 = (1 << 31) - 1
_INT62 = 1 << 62


class Int(Interval):
    """scikit-learn's ``Interval(Integral, ...)`` without bools: ``d_model=True`` is a typo."""

    def __init__(self, left, right, *, closed="both"):
        super().__init__(Integral, left, right, closed=closed)

    def is_satisfied_by(self, val):
        return not isinstance(val, (bool, np.bool_)) and super().is_satisfied_by(val)


def _rate(right=None, closed="left"):
    """A finite real number in ``[0, right)`` (``[0, inf)`` without ``right``)."""
    return Interval(Real, 0, np.inf if right is None else right, closed=closed)


@dataclass(frozen=True)
class Parameter:
    """One parameter of :class:`~sktag.TokenTagger`.

    Attributes
    ----------
    name : str
    default : object
        The value ``TokenTagger()`` has.
    constraints : tuple or "no_validation"
        scikit-learn parameter constraints; a value must satisfy one.
    file : {"shape", "stored", "code"}
        Its place in a model file (:data:`SHAPE`, :data:`STORED`, :data:`CODE`).
    help : str or None
        The ``sktag train`` option's help; None: no option.
    option_default : object
        The option's default when it differs from ``default`` (the command
        line seeds its training: ``--random-state`` is 0).
    in_every_file : bool, default=None
        Whether every model file must hold it; None: the :data:`SHAPE`
        parameters must. A shape parameter added after files were written
        is False: those files load with its default.
    option : str, default=None
        The command-line option when it is not ``--`` and the name with
        dashes (``--output-layer``: ``-o/--output`` names the model file).
    option_type : callable, default=None
        The option's argparse ``type`` when the constraints do not say it
        (``str`` for a path).
    doc_type : str
        The type in its docstring entry, ``int`` or ``{"dense", "conv"}``
        (``, default=...`` is added from ``default``).
    doc : str
        Its description in the docstring.
    """

    name: str
    default: object
    constraints: tuple
    file: str = STORED
    help: str | None = None
    option_default: object = None
    in_every_file: bool | None = None
    option: str | None = None
    option_type: object = None
    doc_type: str = ""
    doc: str = ""

    @property
    def required_in_files(self):
        """Whether a model file without it is refused."""
        return self.file == SHAPE if self.in_every_file is None else self.in_every_file

    @property
    def flag(self):
        """The command-line option, ``--d-model`` for ``d_model``; None if it has none."""
        if self.help is None:
            return None
        return self.option or "--" + self.name.replace("_", "-")

    @property
    def dest(self):
        """The attribute of the parsed arguments that holds the option's value."""
        return self.flag[2:].replace("-", "_")


#: Every parameter of TokenTagger, in the signature's order.
PARAMETERS = (
    Parameter("encoder", "dense", (StrOptions(set(ENCODERS)),), SHAPE,
              "context encoder",
              doc_type='{"dense", "conv", "bilstm"}', doc="""
              How a token's tag sees its sentence. ``"dense"`` is the tutorial's
              Embedding + Dense model: each token is tagged from its own features.
              ``"conv"`` adds ``n_layers`` 1-D convolutions (a window of 3 tokens
              each); ``"bilstm"`` adds ``n_layers`` bidirectional LSTMs.
              """),
    Parameter("d_model", 64, (Int(1, 8192),), SHAPE, "word embedding size",
              doc_type="int", doc="""
              Size of the word embeddings.
              """),
    Parameter("char_dim", 0, (Int(0, 1024),), SHAPE,
              "character embedding size, 0 for no character features",
              doc_type="int", doc="""
              Size of the character embeddings of a character-level CNN (with
              ``4 * char_dim`` filters) that encodes each token from its spelling,
              so unseen words are tagged from their prefixes and suffixes. 0 turns
              it off.
              """),
    Parameter("char_classes", True, ("boolean",), SHAPE,
              "with --char-dim > 0, also the case and kind (upper, lower, digit, symbol) of "
              "each token's characters",
              doc_type="bool", doc="""
              With characters, also tell the model the case and kind of the
              first and of any character of each token (upper case, lower case,
              digit, symbol; see :class:`~sktag.models.CharClasses`): what
              "capitalised" or "has a digit" means, for every letter at once.
              Ignored when ``char_dim=0``.
              """),
    Parameter("hidden_dim", 128, (Int(1, 8192),), SHAPE,
              "filters or LSTM units of the encoder",
              doc_type="int", doc="""
              Filters of each convolution, or units of each LSTM direction.
              """),
    Parameter("n_layers", 1, (Int(1, 64),), SHAPE, "encoder layers",
              doc_type="int", doc="""
              Number of context layers of the ``"conv"`` and ``"bilstm"`` encoders.
              """),
    Parameter("output", "softmax", (StrOptions(set(OUTPUTS)),), SHAPE,
              "output layer: a softmax per token, or a CRF over the tag sequence (learned "
              "transition scores)", in_every_file=False, option="--output-layer",
              doc_type='{"softmax", "crf"}', doc="""
              The output layer. ``"softmax"`` scores each token's labels on its own
              (cross-entropy per token). ``"crf"`` adds a linear-chain CRF: learned
              scores for each label following each other one (and for beginning
              and ending a sentence), trained on the likelihood of whole label
              sequences (the forward algorithm). Then :meth:`predict` is the most
              probable sequence (Viterbi), :meth:`predict_proba` the CRF's token
              marginals and :meth:`predict_spans` its exact span marginals, all
              in numpy from the learned scores, the impossible transitions of an
              entity scheme forbidden. ``class_weight`` weighs each sentence's loss
              by the mean weight of its tokens' labels.
              """),
    Parameter("word_vectors", None, NO_VALIDATION, CODE,
              "pretrained word vectors: a GloVe or word2vec/fastText text file (.gz too) or a "
              "word2vec binary file", option_type=str,
              doc_type="str, path-like, WordVectors, KeyedVectors, dict or tuple", doc="""
              Pretrained word vectors beside the trained embedding (frozen
              unless ``fine_tune_vectors``): a file
              (:func:`sktag.vectors.read_word_vectors`), a
              :class:`~sktag.vectors.WordVectors`, a gensim ``KeyedVectors``, a
              dict ``word -> vector`` or a ``(words, matrix)`` pair. The model
              keeps the rows of its vocabulary and of the first
              ``max_vector_words`` words of the vectors, which it adds to the
              vocabulary so that a word never seen in training is tagged from
              its vector; a fitted tagger needs no vectors file to predict or
              load. Tokens are looked up as the vectors' words are written
              (lowercased for lowercased vectors such as GloVe). A path keeps
              the parameter small in pickles; an object is pickled with the
              estimator. None: no vectors.
              """),
    Parameter("word_clusters", None, NO_VALIDATION, CODE,
              "word clusters: a brown-cluster paths file or spaCy's lexeme_cluster JSON",
              option_type=str,
              doc_type="str, path-like, WordClusters, dict or tuple", doc="""
              Brown clusters of words (:func:`sktag.vectors.read_word_clusters`,
              :func:`~sktag.vectors.as_word_clusters`): each token's cluster
              path prefixes of lengths 4, 6, 10 and 20 are features, each a
              learned embedding of ``cluster_dim``. Their words count towards
              ``max_vector_words`` after the vectors'. None: no clusters.
              """),
    Parameter("max_vector_words", 20000, (Int(0, 1 << 24),), STORED,
              "the vectors' and clusters' most frequent words added to the vocabulary",
              doc_type="int", doc="""
              How many of the vectors' (then the clusters') first words, most
              frequent first, the model gets ids for, although the training
              data may not have them. More cover more unseen words and make a
              bigger model; training words always get their vectors.
              """),
    Parameter("cluster_dim", 16, (Int(1, 1024),), SHAPE,
              "embedding size of each cluster path prefix", in_every_file=False,
              doc_type="int", doc="""
              Size of the embedding of each cluster path prefix (with
              ``word_clusters``).
              """),
    Parameter("fine_tune_vectors", False, ("boolean",), STORED,
              "also train the word vectors (rows of words seen in training move)",
              doc_type="bool", doc="""
              Train the word vectors with the rest of the model. Only the rows
              of training words move; those of words only the vectors know
              stay as they were, which is why the vectors are frozen by
              default.
              """),
    Parameter("dropout", 0.0, (_rate(1),), STORED, "dropout rate",
              doc_type="float", doc="""
              Dropout rate on the token features and after each context layer.
              """),
    Parameter("epochs", 10, (Int(1, _INT32),), STORED, "training epochs",
              doc_type="int", doc="""
              Number of passes over the training data (fewer if early stopping).
              """),
    Parameter("max_steps", None, (None, Int(1, _INT62)), STORED,
              "train this many batches instead of --epochs, in whole epochs",
              doc_type="int", doc="""
              Train for at most this many optimizer steps (batches) instead of
              ``epochs``: as many whole epochs as fit in ``max_steps`` for this
              training set, at least one. A training length that does not shrink
              with the data: with ``max_steps=1400`` and ``batch_size=64``, 12,500
              sentences train 7 epochs and 1,600 sentences 56. ``partial_fit``
              still trains one epoch.
              """),
    Parameter("min_steps", None, (None, Int(1, _INT62)), STORED,
              "train at least this many batches: more epochs on small data (an explicit "
              "--epochs drops --best's)",
              doc_type="int", doc="""
              Train for at least this many optimizer steps: when ``epochs`` (or
              ``max_steps``) passes over a small training set make fewer, as many
              more whole epochs as reach ``min_steps``. A training length that
              follows the data: with ``epochs=7, min_steps=300`` and
              ``batch_size=64``, 12,500 sentences train 7 epochs (1,372 steps),
              1,000 sentences 19 (304 steps). ``partial_fit`` still trains one
              epoch.
              """),
    Parameter("dtype_policy", None,
              (None, StrOptions({"float32", "mixed_bfloat16", "mixed_float16"})), STORED,
              "Keras dtype policy: mixed_bfloat16 trains faster on CPUs with AVX512-BF16/AMX",
              doc_type='{"float32", "mixed_bfloat16", "mixed_float16"}', doc="""
              Keras dtype policy of the model: ``"mixed_bfloat16"`` computes in
              bfloat16 with float32 weights, which trains faster on CPUs with
              AVX512-BF16 or AMX and on recent GPUs; ``"mixed_float16"`` is for
              GPUs (it is slower than float32 on CPUs). The weights sktag keeps,
              saves and predicts with are float32 under every policy. None uses
              Keras's global policy at fit time.
              """),
    Parameter("batch_size", 32, (Int(1, _INT32),), STORED, "sentences per step",
              doc_type="int", doc="""
              Sentences per gradient step.
              """),
    Parameter("learning_rate", 0.005, (_rate(),), STORED, "Adam learning rate",
              doc_type="float", doc="""
              Learning rate of the optimizer.
              """),
    Parameter("learning_rate_schedule", "constant", (StrOptions({"constant", "cosine"}),),
              STORED, "learning-rate schedule over the epochs",
              doc_type='{"constant", "cosine"}', doc="""
              ``"cosine"`` lowers the learning rate each epoch along a half cosine,
              from ``learning_rate`` in the first epoch towards 0 in the last (of
              this call to ``fit``).
              """),
    Parameter("optimizer", "adam", (str, type, HasMethods(["apply_gradients", "get_config"])),
              doc_type="str or keras.optimizers.Optimizer class", doc="""
              Keras optimizer. Its other arguments can be routed scikeras-style,
              e.g. ``optimizer__beta_1=0.8``.
              """),
    Parameter("word_dropout", 0.25, (_rate(),), SHAPE,
              "strength of word dropout that trains [UNK]",
              doc_type="float", doc="""
              Strength ``alpha`` of frequency-based word dropout: during training,
              each occurrence of a word seen ``c`` times is replaced by ``[UNK]``
              with probability ``alpha / (alpha + c)``. This trains the ``[UNK]``
              embedding, so words never seen in training get a sensible tag. 0
              disables it.
              """),
    Parameter("class_weight", None, (None, StrOptions({"balanced"}), dict),
              doc_type='dict, "balanced" or None', doc="""
              Weights of the labels in the training loss, as in scikit-learn's
              classifiers: a dict ``label -> weight`` (others weigh 1), or
              ``"balanced"`` for ``n_tokens / (n_classes * count(label))``. Useful
              for entity tagging, where ``"O"`` dominates. The training ``loss``
              and ``accuracy`` in ``history_`` are then weighted too; the
              ``val_`` figures are not. Weights must be finite numbers >= 0 that
              float32 holds (0 leaves a label out of the loss), not all 0.
              """),
    Parameter("precision", "float32", (StrOptions(set(PRECISIONS)),), STORED,
              "precision of the prediction graphs: int8 quantizes the word tagger",
              doc_type='{"float32", "int8"}', doc="""
              Precision of the ONNX graphs that predict (the models with
              characters or a context encoder; the dense model without
              characters always predicts in float32 numpy). ``"int8"`` stores
              the word tagger's large weights in int8 and quantizes its matrix
              products and LSTMs dynamically (ONNX Runtime's ``com.microsoft``
              kernels): about twice the throughput, and labels that agree with
              float32 on all but a few tokens in ten thousand
              (docs/benchmarks/equivalence.md). Its activations are scaled per
              batch, so a sentence's probabilities can differ slightly with the
              sentences it is predicted with. Training is float32 either way;
              it can be set after fit and at :func:`sktag.load`.
              """),
    Parameter("decoding", "auto", (StrOptions({"auto", "argmax"}),),
              doc_type='{"auto", "argmax"}', doc="""
              How :meth:`predict` turns probabilities into labels. ``"argmax"``
              takes each token's most probable label. ``"auto"`` does the same
              unless the training labels are an entity tagging
              (``label_scheme_``): then it predicts the most probable tagging
              valid in that scheme (:class:`sktag.decoding.Lattice`): in IOB1 and
              IOB2, the most probable *reading* of the labels as seqeval reads
              them, so an entity the model begins with the other prefix is kept,
              written with the scheme's; no entity changes type midway.
              """),
    Parameter("label_scheme", None, (None, StrOptions(set(ENTITY_SCHEMES))), STORED,
              "the entity scheme of the labels (default: the one most entities follow)",
              doc_type='{"IOB1", "IOB2", "IOBES", "BILOU"}', doc="""
              The entity scheme of the training labels. None detects it: the
              scheme the most entities follow (:func:`sktag.schemes.detect_scheme`),
              so that a few entities that break it (annotation noise) do not
              decide it. Entities that break the scheme, detected or given, are
              counted in a :class:`~sktag.schemes.LabelSchemeWarning` naming their
              sentences, and read as seqeval's default mode reads them.
              """),
    Parameter("vocabulary", None, (None, HasMethods(["fit", "encode"])),
              doc_type="Vocabulary", doc="""
              Template for the vocabulary (cloned in ``fit``); None means
              ``Vocabulary()``. Its parameters are reachable as
              ``vocabulary__min_freq`` and so on.
              """),
    Parameter("tokenizer", None, (None, callable), CODE,
              doc_type="callable", doc="""
              Splits sentences given as str into tokens; None splits on
              whitespace in ``fit``, ``predict`` and ``score`` (the seed tutorial's
              sentences are written that way) and uses
              :func:`sktag.tokenization.tokenize` in :meth:`predict_spans`,
              :meth:`annotate` and ``sktag predict``, which split words from
              punctuation as UD and CoNLL data are tokenized and keep character
              offsets. Sentences given as lists of tokens are used as they are.
              """),
    Parameter("validation_split", 0.0, (_rate(1),),
              doc_type="float", doc="""
              Fraction of the training sentences (the last ones, as in Keras) held
              out to compute ``val_loss`` and ``val_accuracy`` each epoch.
              """),
    Parameter("early_stopping", False, ("boolean",), STORED,
              "stop when dev accuracy stops improving; keep the best epoch",
              doc_type="bool", doc="""
              Stop when ``val_accuracy`` has not improved for ``patience`` epochs
              and restore the weights of the best epoch. Needs validation data:
              ``validation_data`` passed to ``fit``, or ``validation_split``; when
              neither is given, 10% of the training sentences are held out, as
              :class:`~sklearn.neural_network.MLPClassifier` does.
              """),
    Parameter("patience", 5, (Int(0, _INT32),), STORED,
              "epochs without improvement before stopping",
              doc_type="int", doc="""
              Epochs without improvement before early stopping.
              """),
    Parameter("shuffle", True, ("boolean",),
              doc_type="bool", doc="""
              Shuffle the training sentences before each epoch.
              """),
    Parameter("steps_per_execution", 32, (Int(1, _INT32),),
              doc_type="int", doc="""
              Training batches run per call into TensorFlow (Keras's
              ``steps_per_execution``). Small models are dominated by the cost of
              each call, so running many batches per call trains them faster.
              Callbacks' batch hooks (``on_train_batch_end``) then run every 32
              batches; epoch hooks are unaffected.
              """),
    Parameter("callbacks", None, (None, list, tuple, dict), CODE,
              doc_type="list of keras.callbacks.Callback", doc="""
              Keras callbacks passed to ``Model.fit`` (e.g. ``CSVLogger``,
              ``ModelCheckpoint``). A callback class with routed arguments
              (``callbacks=[CSVLogger], callbacks__0__filename="h.csv"``) is
              instantiated for each fit and keeps the estimator picklable.
              """),
    Parameter("verbose", 0, (Int(0, 3), StrOptions({"auto"})),
              doc_type="int", doc="""
              0 silent, 1 progress bar, 2 one line per epoch (Keras's levels).
              """),
    Parameter("warm_start", False, ("boolean",),
              doc_type="bool", doc="""
              When True, ``fit`` continues training the existing model and
              vocabulary instead of starting over.
              """),
    Parameter("keep_optimizer", False, ("boolean",),
              doc_type="bool", doc="""
              Keep the optimizer's state (Adam's moment estimates) when the tagger
              is pickled or saved, so that training can resume exactly where it
              stopped. Without it a saved model is about three times smaller and a
              later ``partial_fit`` starts a fresh optimizer. ``warm_start=True``
              implies it.
              """),
    Parameter("random_state", None, ("random_state",), STORED,
              "seed for reproducible training", option_default=0,
              doc_type="int, RandomState instance or None", doc="""
              Seeds weight initialization, shuffling and word dropout. With an
              int, two fits on CPU give identical models.
              """),
)

_BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}
#: The parameters' names, in the signature's order.
NAMES = tuple(_BY_NAME)
#: Prefixes of routed parameters, passed on to the training engine:
#: ``optimizer__beta_1``, ``fit__validation_freq``, ``callbacks__0__filename``.
ROUTED_PREFIXES = ("optimizer", "fit", "callbacks")
#: Keyword arguments of ``fit`` and ``partial_fit`` (and routed ``fit__*``
#: parameters) passed on to ``keras.Model.fit``; sktag sets its others itself.
KERAS_FIT_KWARGS = ("steps_per_epoch", "validation_steps", "validation_freq")


def is_routed(name):
    """Whether ``name`` is a routed parameter (``optimizer__beta_1``)."""
    prefix, sep, _ = name.partition("__")
    return bool(sep) and prefix in ROUTED_PREFIXES


def check_names(names):
    """Raise a TypeError for a name that is neither a parameter nor a routed one Keras takes.

    The error suggests the closest parameter, or says how routed names start.
    """
    for name in names:
        if name in _BY_NAME or is_routed(name):
            continue
        close = difflib.get_close_matches(name, NAMES, n=1)
        hint = f"; did you mean {close[0]}?" if close else (
            f"; routed parameters start with one of {[p + '__' for p in ROUTED_PREFIXES]}.")
        raise TypeError(f"TokenTagger got an unknown parameter {name!r}{hint}")
    for name in names:
        prefix, _, rest = name.partition("__")
        if prefix == "fit" and rest not in KERAS_FIT_KWARGS:
            hint = f"; set {rest} itself, not through fit__" if rest in _BY_NAME else ""
            raise TypeError(
                f"TokenTagger got the routed parameter {name!r}, which keras.Model.fit "
                f"cannot take from sktag (sktag sets it, or Keras has no such argument); "
                f"fit__ parameters are {', '.join('fit__' + k for k in KERAS_FIT_KWARGS)}"
                f"{hint}.")


def check_fit_kwargs(method, kwargs, accepted):
    """Raise a TypeError for a keyword argument ``method`` does not take, listing those it does."""
    for name in kwargs:
        if name in accepted:
            continue
        if method == "partial_fit" and name in ("epochs", "initial_epoch"):
            raise TypeError(
                f"partial_fit() got the keyword argument {name!r}, but it trains one epoch, "
                "after the last one; call it again for more, or fit for several at once.")
        if name in _BY_NAME:
            raise TypeError(
                f"{method}() got the keyword argument {name!r}, a parameter of TokenTagger: "
                f"set it on the estimator, TokenTagger({name}=...) or set_params({name}=...).")
        close = difflib.get_close_matches(name, accepted, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise TypeError(
            f"{method}() got an unexpected keyword argument {name!r}. It takes X, y, "
            f"sample_weight{', validation_data' if method == 'fit' else ''} and "
            f"{', '.join(accepted)} (keras.Model.fit's).{hint}")


def numpydoc(indent="    "):
    """The numpydoc ``Parameters`` entries of every parameter, in the signature's order.

    ``TokenTagger``'s docstring holds them where it says ``{parameters}``.
    """
    entries = []
    for p in PARAMETERS:
        default = f'"{p.default}"' if isinstance(p.default, str) else repr(p.default)
        body = textwrap.indent(textwrap.dedent(p.doc).strip(), indent * 2)
        entries.append(f"{indent}{p.name} : {p.doc_type}, default={default}\n{body}")
    return "\n".join(entries)


def constraints():
    """``name -> list of constraints``: ``TokenTagger._parameter_constraints``."""
    return {p.name: p.constraints if p.constraints == NO_VALIDATION else list(p.constraints)
            for p in PARAMETERS}


def options(name):
    """The str values parameter ``name`` may take (its ``StrOptions``), as a frozenset."""
    return frozenset(value for c in _BY_NAME[name].constraints if isinstance(c, StrOptions)
                     for value in c.options)


def defaults():
    """``name -> default`` of every parameter."""
    return {p.name: p.default for p in PARAMETERS}


def refusal(name, value):
    """Why ``value`` is not legal for parameter ``name``, or None if it is.

    scikit-learn's words without the parameter's name, for messages that
    name it their own way (a model file's field, a command-line option):
    ``must be an int in the range [1, 8192]. Got 0 instead.``
    """
    if _BY_NAME[name].constraints == NO_VALIDATION:
        return None
    try:
        validate_parameter_constraints({name: list(_BY_NAME[name].constraints)},
                                       {name: value}, caller_name="TokenTagger")
    except InvalidParameterError as exc:
        return "must be " + str(exc).split(" must be ", 1)[-1]
    return None


# ----------------------------------------------------------------------
# the command line
# ----------------------------------------------------------------------
def _option_type(parameter):
    """An argparse ``type``: the option's text as a checked value.

    A value the parameter refuses is an ``ArgumentTypeError``, so argparse
    reports a usage error (exit code 2) naming the option.
    """
    numeric = [c for c in parameter.constraints if isinstance(c, Interval)]
    convert = int if numeric and numeric[0].type is Integral else float

    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected {'an int' if convert is int else 'a number'}, got {text!r}") from None
        message = refusal(parameter.name, value)
        if message is not None:
            raise argparse.ArgumentTypeError(message)
        return value

    parse.__name__ = convert.__name__  # argparse names the type in its messages
    return parse


def add_options(group, overrides=None):
    """Add an option to argparse ``group`` for every parameter that has one.

    Options default to None (not given), except those with an
    ``option_default``; the help ends with TokenTagger's default, and with
    the value in ``overrides`` (``{"--best": best()}``) where one sets it.
    """
    overrides = overrides or {}
    for parameter in PARAMETERS:
        if parameter.flag is None:
            continue
        shown = parameter.option_default if parameter.option_default is not None \
            else parameter.default
        defaults_text = [f"default: {_show(shown)}"] + [
            f"{label}: {_show(params[parameter.name])}" for label, params in overrides.items()
            if parameter.name in params and params[parameter.name] != shown]
        help_text = f"{parameter.help} ({'; '.join(defaults_text)})"
        kwargs = {"help": help_text, "default": parameter.option_default, "dest": parameter.dest}
        options = [c for c in parameter.constraints if isinstance(c, StrOptions)]
        if parameter.option_type is not None:
            kwargs["type"] = parameter.option_type
            kwargs["metavar"] = "PATH"
        elif "boolean" in parameter.constraints:
            kwargs["action"] = argparse.BooleanOptionalAction
        elif options:
            kwargs["choices"] = sorted(options[0].options)
        else:
            kwargs["type"] = _option_type(parameter)
            kwargs["metavar"] = parameter.name.upper()
        group.add_argument(parameter.flag, **kwargs)


def option_values(args):
    """``name -> value`` of the parameters given on the command line (or with an option default)."""
    return {p.name: getattr(args, p.dest) for p in PARAMETERS
            if p.flag is not None and getattr(args, p.dest, None) is not None}


def _show(value):
    if isinstance(value, bool):
        return "on" if value else "off"
    return "none" if value is None else str(value)
