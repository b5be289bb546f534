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
* its ``sktag train`` option and help, when it has one.

Adding a parameter is one row here, the argument and docstring entry of
``TokenTagger.__init__``, and its use.
"""

import argparse
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

from .architecture import ENCODERS, OUTPUTS
from .schemes import ENTITY_SCHEMES

__all__ = ["CODE", "PARAMETERS", "SHAPE", "STORED", "Parameter", "add_options",
           "constraints", "defaults", "option_values", "refusal"]

#: Decides the shapes of the weights: every model file holds it.
SHAPE = "shape"
#: Stored in model files; a file that predates the parameter loads with its default.
STORED = "stored"
#: Code or a live object (a callable, callbacks): never stored, given again at load.
CODE = "code"

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
    constraints : tuple
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
    """

    name: str
    default: object
    constraints: tuple
    file: str = STORED
    help: str | None = None
    option_default: object = None
    in_every_file: bool | None = None
    option: str | None = None

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
              "context encoder"),
    Parameter("d_model", 64, (Int(1, 8192),), SHAPE, "word embedding size"),
    Parameter("char_dim", 0, (Int(0, 1024),), SHAPE,
              "character embedding size, 0 for no character features"),
    Parameter("char_classes", True, ("boolean",), SHAPE,
              "with --char-dim > 0, also the case and kind (upper, lower, digit, symbol) of "
              "each token's characters"),
    Parameter("hidden_dim", 128, (Int(1, 8192),), SHAPE,
              "filters or LSTM units of the encoder"),
    Parameter("n_layers", 1, (Int(1, 64),), SHAPE, "encoder layers"),
    Parameter("output", "softmax", (StrOptions(set(OUTPUTS)),), SHAPE,
              "output layer: a softmax per token, or a CRF over the tag sequence (learned "
              "transition scores)", in_every_file=False, option="--output-layer"),
    Parameter("dropout", 0.0, (_rate(1),), STORED, "dropout rate"),
    Parameter("epochs", 10, (Int(1, _INT32),), STORED, "training epochs"),
    Parameter("max_steps", None, (None, Int(1, _INT62)), STORED,
              "train this many batches instead of --epochs, in whole epochs"),
    Parameter("min_steps", None, (None, Int(1, _INT62)), STORED,
              "train at least this many batches: more epochs on small data (an explicit "
              "--epochs drops --best's)"),
    Parameter("dtype_policy", None,
              (None, StrOptions({"float32", "mixed_bfloat16", "mixed_float16"})), STORED,
              "Keras dtype policy: mixed_bfloat16 trains faster on CPUs with AVX512-BF16/AMX"),
    Parameter("batch_size", 32, (Int(1, _INT32),), STORED, "sentences per step"),
    Parameter("learning_rate", 0.005, (_rate(),), STORED, "Adam learning rate"),
    Parameter("learning_rate_schedule", "constant", (StrOptions({"constant", "cosine"}),),
              STORED, "learning-rate schedule over the epochs"),
    Parameter("optimizer", "adam", (str, type, HasMethods(["apply_gradients", "get_config"]))),
    Parameter("word_dropout", 0.25, (_rate(),), SHAPE,
              "strength of word dropout that trains [UNK]"),
    Parameter("class_weight", None, (None, StrOptions({"balanced"}), dict)),
    Parameter("decoding", "auto", (StrOptions({"auto", "argmax"}),)),
    Parameter("label_scheme", None, (None, StrOptions(set(ENTITY_SCHEMES))), STORED,
              "the entity scheme of the labels (default: the one most entities follow)"),
    Parameter("vocabulary", None, (None, HasMethods(["fit", "encode"]))),
    Parameter("tokenizer", None, (None, callable), CODE),
    Parameter("validation_split", 0.0, (_rate(1),)),
    Parameter("early_stopping", False, ("boolean",), STORED,
              "stop when dev accuracy stops improving; keep the best epoch"),
    Parameter("patience", 5, (Int(0, _INT32),), STORED,
              "epochs without improvement before stopping"),
    Parameter("shuffle", True, ("boolean",)),
    Parameter("steps_per_execution", 32, (Int(1, _INT32),)),
    Parameter("callbacks", None, (None, list, tuple, dict), CODE),
    Parameter("verbose", 0, (Int(0, 3), StrOptions({"auto"}))),
    Parameter("warm_start", False, ("boolean",)),
    Parameter("keep_optimizer", False, ("boolean",)),
    Parameter("random_state", None, ("random_state",), STORED,
              "seed for reproducible training", option_default=0),
)

_BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}


def constraints():
    """``name -> list of constraints``: ``TokenTagger._parameter_constraints``."""
    return {p.name: list(p.constraints) for p in PARAMETERS}


def defaults():
    """``name -> default`` of every parameter."""
    return {p.name: p.default for p in PARAMETERS}


def refusal(name, value):
    """Why ``value`` is not legal for parameter ``name``, or None if it is.

    scikit-learn's words without the parameter's name, for messages that
    name it their own way (a model file's field, a command-line option):
    ``must be an int in the range [1, 8192]. Got 0 instead.``
    """
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
        if "boolean" in parameter.constraints:
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
