"""The header of a model file: one declarative schema, checked before anything is built.

:data:`HEADER_V2` says what ``sktag.json`` of format :data:`FORMAT_VERSION`
holds: the format's name and version, the versions that wrote it, the
tagger's parameters (their JSON kinds here, their legal values the
parameter table's own constraints, :mod:`sktag.parameters`), the fitted
encoders (:mod:`sktag.persistence.encoders`) and ``history_``, and the
manifest of the arrays (:mod:`sktag.persistence.arrays` checks it against
the model these describe). A value that does not fit is an
:class:`~sktag.persistence.specs.Invalid` naming its field;
:func:`header_error` turns it into the :class:`ModelFileError` of a file.
"""

from ..architecture import CLUSTER_PREFIX_LENGTHS
from ..parameters import CODE, PARAMETERS, ROUTED_PREFIXES, refusal
from ..vectors import MAX_DIM
from .encoders import (
    FEATURE_ENCODER,
    LABEL,
    MAX_CLASSES,
    MAX_VOCAB,
    TARGET_ENCODER,
    VOCABULARY_TEMPLATE,
    describe,
    to_json,
)
from .keras_objects import OPTIMIZER_CLASSES, deserialize_optimizer, stored_optimizer
from .sniffing import ModelFileError
from .specs import (
    Bool,
    Dict,
    Either,
    Enum,
    Float,
    Int,
    Invalid,
    List,
    Null,
    Record,
    Spec,
    Str,
    exact_keys,
    optional,
    plain,
    required,
    tagged,
)

__all__ = ["ARRAY_DTYPES", "FORMAT_NAME", "FORMAT_VERSION", "HEADER", "HEADER_V2", "PARAMS",
           "ROUTED", "check_params", "header_error", "stored_params"]

#: Version of the file layout this sktag writes; :func:`read_model_file` reads this and older.
FORMAT_VERSION = 2
#: The ``format`` of every sktag model file's header.
FORMAT_NAME = "sktag.TokenTagger"
#: The header's member, in every format.
HEADER = "sktag.json"
#: The only dtypes of the arrays a model file holds.
ARRAY_DTYPES = ("<f4", "<i4", "<i8")

_MAX_EPOCHS = 1 << 20
_MAX_ARRAYS = 1 << 14
_SEED = Int(0, (1 << 32) - 1)
_SCALAR = Either(Null(), Bool(), Float(), Str(4096))
_PARAM_NAME = r"[A-Za-z_]\w{0,127}"
#: Routed parameters (``optimizer__beta_1``), names at most 128 characters.
ROUTED = "(" + "|".join(ROUTED_PREFIXES) + r")__\w{1,128}"


# ----------------------------------------------------------------------
# parameters
# ----------------------------------------------------------------------
class _KerasOptimizer(Spec):
    """A Keras optimizer instance in Keras's own serialization, built-in classes only."""

    description = "a serialized built-in Keras optimizer"
    _config_value = Either(Null(), Bool(), Float(), Str(256))

    def __call__(self, value, where):
        payload = tagged(value, "__keras_optimizer__", where, self)
        exact_keys(value, ("__keras_optimizer__",), where)
        serialized = Record({
            "module": required(Enum("keras.optimizers")),
            "class_name": required(Enum(*OPTIMIZER_CLASSES)),
            "config": required(Record({}, extra=(r"\w{1,64}", self._config_value))),
            "registered_name": optional(Either(Null(), Enum(*OPTIMIZER_CLASSES))),
        })(plain(payload), where)
        try:
            return deserialize_optimizer(serialized)
        except Exception as exc:  # Keras raises anything from TypeError to ValueError
            raise Invalid(where, f"Keras cannot rebuild this optimizer "
                                 f"({type(exc).__name__}: {exc})") from None


def _param_spec(parameter):
    """How a parameter's value is written in JSON; its legal values are then
    the parameter's own constraints (:func:`check_params`)."""
    if parameter.file == CODE:
        return Null()  # code is never stored: left_out_params describes it
    special = {
        "optimizer": Either(Str(64, r"[A-Za-z_]\w{0,63}"), _KerasOptimizer()),
        "class_weight": Either(Null(), Enum("balanced"), Dict(LABEL, Float(0), MAX_CLASSES)),
        "vocabulary": Either(Null(), VOCABULARY_TEMPLATE),
        "random_state": Either(Null(), _SEED),
    }
    return special.get(parameter.name, _SCALAR)


#: Every parameter a model file may hold, from the table of parameters: those
#: that decide the weights' shapes must be there; the others take
#: TokenTagger's defaults when a file predates them. Routed parameters
#: (``optimizer__beta_1``) are plain values.
PARAMS = {parameter.name: (_param_spec(parameter), parameter.required_in_files)
          for parameter in PARAMETERS}


def check_params(params):
    """Every stored parameter satisfies its constraints, as TokenTagger's own check.

    Raises
    ------
    Invalid
    """
    for name, value in params.items():
        message = refusal(name, value) if name in PARAMS else None
        if message is not None:
            raise Invalid(f"params.{name}", message.rstrip("."))


#: Parameters that are code or live objects (the table's ``CODE``): never stored.
_CODE_PARAMS = frozenset(p.name for p in PARAMETERS if p.file == CODE)


def stored_params(params):
    """The parameters as JSON, and the descriptions of those left out.

    Callables (``tokenizer``) and callbacks are code, and word vectors and
    clusters are data the weights already hold the rows of: the file
    records their names only and loading asks for a tokenizer again. So is a ``RandomState``
    (it only seeds future training). A Keras optimizer instance is stored in
    Keras's own serialization, a built-in Keras optimizer class by its name;
    an encoder (``vocabulary``) by its parameters.
    """
    stored, left_out = {}, {}
    for name, value in params.items():
        if name in _CODE_PARAMS and value is not None:  # word_vectors: the weights hold the rows
            left_out[name] = describe(value)
            continue
        kind, value = stored_optimizer(value)
        if kind == "instance":
            stored[name] = {"__keras_optimizer__": to_json(value, name)}
            continue
        if kind == "object":  # a learning-rate schedule or another object in its config
            left_out[name] = describe(params[name])
            continue
        try:
            stored[name] = to_json(value, name, template=True)
        except TypeError:  # code (a tokenizer, callbacks, a custom optimizer), a RandomState
            left_out[name] = describe(value)
    return stored, left_out


# ----------------------------------------------------------------------
# the header
# ----------------------------------------------------------------------
#: The header of format 2.
HEADER_V2 = Record({
    "format": required(Enum(FORMAT_NAME)),
    "format_version": required(Enum(FORMAT_VERSION)),
    "writer": required(Record({
        "sktag_version": required(Str(64)),
        "numpy_version": required(Str(64)),
        "keras_version": optional(Str(64)),
        "tensorflow_version": optional(Str(64)),
    })),
    "params": required(Record(PARAMS, extra=(ROUTED, Either(_SCALAR, List(_SCALAR, 64))))),
    "left_out_params": required(Record({}, extra=(
        _PARAM_NAME, Either(Str(1024), List(Str(1024), 64))))),
    "fitted": required(Record({
        "target_encoder_": required(TARGET_ENCODER),
        "feature_encoder_": required(FEATURE_ENCODER),
        "history_": required(Dict(Str(128), List(Float(finite=False), _MAX_EPOCHS), 64)),
        "_random_state": required(Either(Null(), _SEED)),  # the tagger's seed of its next fit
        # pretrained features (absent in files without them, and older ones: 0)
        "vectors_dim_": optional(Int(0, MAX_DIM)),
        "n_cluster_prefixes_": optional(Int(0, MAX_VOCAB * len(CLUSTER_PREFIX_LENGTHS) + 1)),
    })),
    "optimizer_state": required(Bool()),
    "arrays": required(List(Record({
        "key": required(Str(200, r"(weights/\w{1,128}|optimizer)/\d{1,5}")),
        "dtype": required(Enum(*ARRAY_DTYPES)),
        "shape": required(List(Int(0, 1 << 40), 4)),
        "offset": required(Int(0, 1 << 62)),
    }), _MAX_ARRAYS)),
}, description="an sktag header")


def header_error(path, exc):
    """The :class:`ModelFileError` of the file ``path`` for :class:`Invalid` ``exc``."""
    where = f" field {exc.where}" if exc.where else ""
    return ModelFileError(f"{path}: {HEADER}{where}: {exc.message}.")
