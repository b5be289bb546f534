"""The Keras objects a model file describes: the one module here that imports Keras.

Reading a format-2 file needs no Keras, except for two things that are Keras
objects themselves: an optimizer *instance* given as the ``optimizer``
parameter (rebuilt with Keras's own deserializer, built-in classes only),
and the ``model.keras`` of a format-1 file (:mod:`sktag.persistence.format1`
bounds and checks its bytes first). Keras is imported only then, inside the
function that needs it; writing never imports it (a tagger that holds Keras
objects was made where Keras is loaded).
"""

import os
import sys
import tempfile

import numpy as np

from .sniffing import ModelFileError

__all__ = ["OPTIMIZER_CLASSES", "deserialize_optimizer", "load_format1_model",
           "stored_optimizer"]

#: The optimizer classes a file may name: Keras's built-in ones.
OPTIMIZER_CLASSES = ("Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl",
                     "Lamb", "Lion", "Muon", "Nadam", "RMSprop", "SGD")


def stored_optimizer(value):
    """How a model file stores the parameter ``value`` if it is a Keras optimizer.

    Returns
    -------
    kind, stored : tuple
        ``("instance", serialized)`` for an optimizer instance whose config
        holds plain values only (Keras's own serialization, a dict);
        ``("object", None)`` for an instance whose config holds objects (a
        learning-rate schedule: not stored); ``("class", name)`` for a
        built-in optimizer class, by the name ``keras.optimizers.get``
        takes; ``(None, value)`` for anything else.
    """
    keras = sys.modules.get("keras")  # no Keras loaded: no Keras objects to store
    if keras is None:
        return None, value
    if isinstance(value, keras.optimizers.Optimizer):
        serialized = keras.optimizers.serialize(value)
        config = serialized.get("config")
        if isinstance(config, dict) and all(
                isinstance(v, (type(None), bool, int, float, str)) for v in config.values()):
            return "instance", serialized
        return "object", None
    if isinstance(value, type) and issubclass(value, keras.optimizers.Optimizer) \
            and value.__module__.startswith("keras."):
        return "class", value.__name__
    return None, value


def deserialize_optimizer(serialized):
    """The optimizer instance of Keras's serialization ``serialized`` (checked by the schema).

    Raises whatever Keras raises for a config it refuses.
    """
    from .._tensorflow import keras

    return keras.optimizers.deserialize(serialized)


def load_format1_model(path, data, optimizer_state, writer):
    """Weights and optimizer state of a format-1 ``model.keras``.

    Parameters
    ----------
    path : path-like
        The model file, for messages.
    data : bytes
        The ``model.keras`` member, already bounded and checked
        (:func:`sktag.persistence.format1.check_keras_archive`).
    optimizer_state : bool
        Whether the file holds the optimizer's state.
    writer : dict
        The versions that wrote the file, for messages.

    Returns
    -------
    weights : dict of str to list of ndarray
    optimizer : list of ndarray or None

    Raises
    ------
    ModelFileError
        Keras cannot load the model (with ``safe_mode=True`` and only
        sktag's layers).
    """
    from .._tensorflow import keras
    from ..models import CUSTOM_OBJECTS
    from ..keras_reading import keras_weights

    with tempfile.TemporaryDirectory() as scratch:
        weights_path = os.path.join(scratch, "model.keras")
        with open(weights_path, "wb") as out:
            out.write(data)
        try:
            model = keras.saving.load_model(
                weights_path, custom_objects=CUSTOM_OBJECTS,
                compile=optimizer_state,  # restores Adam's slots too
                safe_mode=True,
            )
            weights = keras_weights(model)
            optimizer = None
            if optimizer_state and model.compiled and model.optimizer.built:
                optimizer = [np.array(v.numpy()) for v in model.optimizer.variables]
        except Exception as exc:  # Keras raises anything from OSError to ValueError
            raise ModelFileError(
                f"{path}: cannot load the Keras model written by sktag "
                f"{writer['sktag_version']} with Keras {writer.get('keras_version', '?')} "
                f"({type(exc).__name__}: {str(exc)[:300]})."
            ) from None
    return weights, optimizer
