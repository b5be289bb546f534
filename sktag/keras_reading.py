"""A Keras model of :func:`sktag.models.build_model` as plain data: its weights and its structure.

:func:`keras_weights` gives every layer's weights as numpy arrays (what a
fitted tagger keeps, saves and predicts with); :func:`spec_from_keras` the
:class:`~sktag.architecture.GraphSpec` the weights alone do not say. Both are
duck-typed (anything with ``layers`` whose layers have ``name`` and
``get_weights()``): this module imports no Keras.
"""

import numpy as np

from .architecture import (
    AFFIX_CHARS_LAYER,
    CHAR_CLASSES_LAYER,
    CHAR_EMBEDDING_LAYER,
    CHAR_POOL_LAYER,
    CONTEXT_LAYER_PREFIXES,
    CRF_LAYER,
    LAYER_NAMES,
    MAX_CHARS,
    N_AFFIX,
    GraphSpec,
)

__all__ = ["keras_weights", "spec_from_keras"]


def _leaf_layers(model):
    """The layers of ``model`` and, recursively, of the models nested in it."""
    for layer in model.layers:
        if getattr(layer, "layers", None) is not None:  # a nested model
            yield from _leaf_layers(layer)
        else:
            yield layer


def keras_weights(model):
    """The weights of every layer of a Keras model, nested models included.

    Parameters
    ----------
    model : keras.Model
        A model of :func:`sktag.models.build_model` (anything with
        ``layers``, whose layers have ``name`` and ``get_weights()``).

    Returns
    -------
    weights : dict of str to list of ndarray
        Layer name -> ``layer.get_weights()``, for the layers that have
        weights. A nested model contributes its layers, not itself.

    Raises
    ------
    ValueError
        Two layers with weights have one name.
    """
    weights = {}
    for layer in _leaf_layers(model):
        arrays = [np.asarray(w) for w in layer.get_weights()]
        if not arrays:
            continue
        if layer.name in weights:
            raise ValueError(f"Two layers with weights are called {layer.name!r}.")
        weights[layer.name] = arrays
    return weights


def _context_prefix(name):
    for prefix in CONTEXT_LAYER_PREFIXES:
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            return prefix, int(name[len(prefix):])
    return None, None


def spec_from_keras(model):
    """The :class:`GraphSpec` of a model of :func:`sktag.models.build_model`.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    spec : GraphSpec
        For ``"dense"``, ``n_layers`` is 0.

    Raises
    ------
    ValueError
        The model has a layer that ``build_model`` does not make, or its
        context layers are not numbered 0, 1, ...: its graph would not compute
        what the model does.
    """
    layers = {}
    context = {"conv_": set(), "bilstm_": set()}
    for layer in _leaf_layers(model):
        prefix, index = _context_prefix(layer.name)
        if layer.name not in LAYER_NAMES and prefix is None:
            raise ValueError(f"Layer {layer.name!r} is not one sktag's models have.")
        if prefix in context:
            context[prefix].add(index)
        layers[layer.name] = layer
    if context["conv_"] and context["bilstm_"]:
        raise ValueError("The model has both convolution and LSTM context layers.")
    encoder = "conv" if context["conv_"] else "bilstm" if context["bilstm_"] else "dense"
    indices = context.get(encoder + "_", set())
    if indices != set(range(len(indices))):
        raise ValueError(f"The {encoder} layers are not numbered 0 to {len(indices) - 1}.")
    char = CHAR_EMBEDDING_LAYER in layers
    max_chars, n_affix = MAX_CHARS, N_AFFIX
    if char:
        pool = layers.get(CHAR_POOL_LAYER)
        if pool is None:
            raise ValueError("The model has a char_embedding but no char_pool.")
        max_chars = int(pool.pool_size[-1])
        affix = layers.get(AFFIX_CHARS_LAYER)
        n_affix = int(affix.n) if affix is not None else 0
    return GraphSpec(
        encoder=encoder, n_layers=len(indices), char=char, max_chars=max_chars,
        n_affix=n_affix, char_classes=char and CHAR_CLASSES_LAYER in layers,
        output="crf" if CRF_LAYER in layers else "softmax",
    )
