"""Reading a saved tagger, and the rules that keep its weights' shapes.

:func:`load` reads a safe model file (:mod:`sktag.persistence`) into a fitted
:class:`~sktag.TokenTagger`; :func:`open_model` is the rule of which model
files may run code. :func:`migrated_state` brings the state of a tagger
pickled by an older sktag to today's layout. :data:`SHAPE_PARAMS`,
:func:`shape_values` and :func:`changed_shape_param` say which parameters
decide the shapes of the weights, and so stay as fitted. Both functions are
re-exported by :mod:`sktag.tagger` (``sktag.tagger.load``, ``sktag.load``).
"""

import difflib
from pathlib import Path

import numpy as np

from . import parameters

__all__ = ["load", "open_model"]

#: The parameters that decide the shapes of the model's weights (those that
#: :func:`sktag.onnx_graphs.expected_weight_shapes` reads; :data:`sktag.parameters.SHAPE`
#: in the table). A fitted tagger keeps their fitted values: its weights follow
#: them, whatever ``set_params`` changes later, until ``fit`` trains a new model.
SHAPE_PARAMS = tuple(p.name for p in parameters.PARAMETERS if p.file == parameters.SHAPE)


def load(path, **params):
    """Read a tagger written by :meth:`TokenTagger.save <sktag.TokenTagger.save>`.

    Nothing in the file is unpickled or executed, and TensorFlow is not
    imported: the file is JSON and raw arrays, checked against each other
    before anything is built from them (see :mod:`sktag.persistence`), and
    the tagger predicts through ONNX Runtime.

    Parameters
    ----------
    path : str or path-like
        An sktag model file.
    **params
        Parameters the file could not hold, given again: ``tokenizer`` (when
        the model was trained with one) and ``callbacks``. Any other
        parameter given here overrides the stored one (``verbose=1``),
        except those that decide the shapes of the weights (``encoder``,
        ``d_model``, ``char_dim``, ``char_classes``, ``hidden_dim``,
        ``n_layers``, ``word_dropout``), which stay as saved.

    Returns
    -------
    tagger : TokenTagger
        A fitted tagger that predicts exactly as the saved one did.

    Raises
    ------
    ModelFileError
        The file is missing, not an sktag model file, truncated or
        corrupted, written by a newer sktag file format, or inconsistent.
        The message says which.
    TypeError
        A parameter that TokenTagger does not have.
    ValueError
        A parameter that decides the shapes of the weights, with another
        value than the saved one.

    Examples
    --------
    >>> import os, tempfile, sktag
    >>> from sktag import TokenTagger
    >>> X, y = [["a", "b"], ["b", "c"]], [["x", "y"], ["y", "z"]]
    >>> tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "tagger.sktag")
    >>> _ = tagger.save(path)
    >>> sktag.load(path).predict(X) == tagger.predict(X)
    True
    """
    from .persistence import ModelFileError, read_model_file
    from .tagger import TokenTagger

    state = read_model_file(path)
    left_out = state.get("left_out_params", {})
    known = {*left_out, *state["params"], *parameters.NAMES}
    unknown = set(params) - known
    if unknown:
        name = min(unknown)
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; it takes TokenTagger's parameters."
        raise TypeError(f"load() got parameters the model does not have: {sorted(unknown)}{hint}")
    name = changed_shape_param(state["params"], {**state["params"], **params})
    if name is not None:
        others = [p for p in sorted(parameters.NAMES) if p not in SHAPE_PARAMS]
        raise ValueError(
            f"load() cannot change {name} ({params[name]!r}): {path} holds weights of "
            f"{name}={state['params'][name]!r}, and {name} decides their shapes. Parameters "
            f"that do ({', '.join(SHAPE_PARAMS)}) stay as saved; the others can be given: "
            f"{', '.join(others)}.")
    if "tokenizer" in left_out and "tokenizer" not in params:
        raise ModelFileError(
            f"{path}: this model was trained with tokenizer={left_out['tokenizer']}, which a "
            f"safe model file cannot hold; pass it again: sktag.load(path, tokenizer=...)"
        )
    tagger = TokenTagger(**{**state["params"], **params})
    fitted = dict(state["fitted"])
    fitted["feature_encoder_"].tokenizer = tagger.tokenizer
    # The pickle protocol's state (see migrated_state): the parameters, the
    # fitted state and the weights; the fitted shape parameters are the saved ones.
    tagger.__setstate__({**vars(tagger), **fitted, "_weights": state["weights"],
                         "_optimizer_state": state["optimizer_state"]})
    return tagger


def open_model(path, *, trust_pickle=False):
    """The tagger in ``path``: a safe model file or, only when trusted, a pickle.

    The one rule of which model files may run code, used by every ``sktag``
    command that reads a model. A file that is a zip archive is read as a
    safe model file (:func:`load`). Anything else is unpickled (with
    :func:`joblib.load`) only when ``trust_pickle`` is True *and* its name
    does not end with ``.sktag``: a ``.sktag`` file is never unpickled.

    Parameters
    ----------
    path : str or path-like
        A ``.sktag`` file, or a joblib file written by ``joblib.dump``.
    trust_pickle : bool, default=False
        Allow unpickling, which runs any code the file's writer put in it.

    Returns
    -------
    tagger : TokenTagger

    Raises
    ------
    ModelFileError
        A missing, damaged or untrusted file, or a pickle that is not a
        TokenTagger.
    """
    from .persistence import ModelFileError, file_kind, is_model_file_name
    from .tagger import TokenTagger

    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file.")
    if not trust_pickle or is_model_file_name(path) or file_kind(path) == "zip":
        return load(path)
    import joblib

    try:
        tagger = joblib.load(path)
    except Exception as exc:  # unpickling raises anything from EOFError to KeyError
        raise ModelFileError(f"cannot load model {path}: {type(exc).__name__}: {exc}") from None
    if not isinstance(tagger, TokenTagger):
        raise ModelFileError(f"{path} holds a {type(tagger).__name__}, not a sktag TokenTagger.")
    return tagger


def shape_values(params):
    """What of ``params`` decides the weights' shapes, as ``expected_weight_shapes`` reads it.

    ``char_classes`` only counts with characters, ``hidden_dim`` and
    ``n_layers`` only with a context encoder, and of ``word_dropout`` only
    whether it is on (its rates are weights).

    Parameters
    ----------
    params : dict
        A tagger's parameters, ``get_params(deep=False)`` or a model file's.

    Returns
    -------
    values : dict
        One value for each name of :data:`SHAPE_PARAMS`.
    """
    char = bool(params["char_dim"])
    context = params["encoder"] != "dense"
    word_dropout = params["word_dropout"]
    return {
        "encoder": params["encoder"],
        "d_model": params["d_model"],
        "char_dim": params["char_dim"],
        "char_classes": bool(params["char_classes"]) if char else None,
        "hidden_dim": params["hidden_dim"] if context else None,
        "n_layers": params["n_layers"] if context else None,
        "output": params.get("output", "softmax"),  # files and pickles that predate it: softmax
        # always, as a model file cannot say whether the model has clusters before its
        # weights are read: files and pickles that predate it have the default
        "cluster_dim": params.get("cluster_dim", parameters.defaults()["cluster_dim"]),
        "word_dropout": (word_dropout > 0 if isinstance(word_dropout, (int, float, np.number))
                         else word_dropout),
    }


def changed_shape_param(fitted, params):
    """The first parameter deciding the weights' shapes whose value changed, or None.

    Parameters
    ----------
    fitted : dict
        The parameters the weights were fitted with.
    params : dict
        The parameters now.

    Returns
    -------
    name : str or None
        The first name of :data:`SHAPE_PARAMS` whose :func:`shape_values`
        differ, or None when the weights fit ``params``.
    """
    before, after = shape_values(fitted), shape_values(params)
    return next((name for name in SHAPE_PARAMS if before[name] != after[name]), None)


def check_shape_params(fitted, params, action):
    """Raise if a parameter that decides the weights' shapes changed since fit.

    Parameters
    ----------
    fitted : dict
        The parameters the weights were fitted with.
    params : dict
        The parameters now.
    action : str
        What would use the weights (``"partial_fit"``, ``"save"``, ...), for
        the error.

    Raises
    ------
    ValueError
        Naming the parameter, both values, and the two ways out.
    """
    name = changed_shape_param(fitted, params)
    if name is not None:
        now, then = params[name], fitted[name]
        raise ValueError(
            f"{name}={now!r}, but this tagger was fitted with {name}={then!r}, which "
            f"decides the shapes of its weights, so {action} cannot use them. Call fit "
            f"(warm_start=False) to train a new model with {name}={now!r}, or set {name} "
            f"back to {then!r}.")


def copy_without_tokenizer(encoder):
    """A shallow copy of a feature encoder without its tokenizer (code, not data).

    Parameters
    ----------
    encoder : sktag.features.SentenceEncoder
        A fitted tagger's ``feature_encoder_``.

    Returns
    -------
    encoder : sktag.features.SentenceEncoder
        The copy, with ``tokenizer=None``: what a safe model file holds.
    """
    import copy

    encoder = copy.copy(encoder)
    encoder.tokenizer = None
    return encoder


def migrated_state(state):
    """The state of a tagger pickled by an older sktag, in today's layout.

    One migration step for every older layout: before ``char_classes``
    existed (its character model has none), and before TokenTagger stopped
    being a scikeras wrapper (the Keras model itself was pickled; unpickling
    such a file imports TensorFlow, once, and the model becomes weights);
    parameters added since (``min_steps``, ``dtype_policy``) take their
    defaults, which train as the older sktag did. Today's state passes
    unchanged.

    Parameters
    ----------
    state : dict
        What ``TokenTagger.__getstate__`` returned, in any sktag version.

    Returns
    -------
    state : dict
        A new dict, for ``TokenTagger.__setstate__``.
    """
    state = dict(state)
    state.setdefault("char_classes", False)
    for name, default in parameters.defaults().items():  # parameters added since
        state.setdefault(name, default)
    model = state.pop("model_", None)
    for key in ("_fit_callbacks", "_predict_callbacks", "_inference", "_user_params"):
        state.pop(key, None)
    if model is not None:
        from .keras_reading import keras_weights

        state["_weights"] = keras_weights(model)
        keep = state.get("keep_optimizer") or state.get("warm_start")
        state["_optimizer_state"] = (
            [np.array(v.numpy()) for v in model.optimizer.variables]
            if keep and model.compiled and model.optimizer.built else None)
    state.setdefault("_optimizer_state", None)
    if "_weights" in state:  # fitted before sktag kept the fitted shape parameters
        state.setdefault("_fitted_shape_params", {name: state[name] for name in SHAPE_PARAMS})
        state.setdefault("vectors_dim_", 0)  # fitted before pretrained features
        state.setdefault("n_cluster_prefixes_", 0)
    return state
