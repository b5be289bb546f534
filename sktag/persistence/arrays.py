"""``arrays.bin`` and its manifest: exactly the arrays the header's model has.

The header's parameters and encoders decide the shape of every weight
(:func:`sktag.architecture.expected_weight_shapes`); the manifest (key,
dtype, shape and offset of each array) must be exactly those weights, in
order, plus at most a bounded optimizer state, each array at a multiple of
:data:`ALIGN` bytes. Only then does ``arrays.bin`` have a size to check, and
its bytes become ``np.frombuffer`` views.
"""

import math

import numpy as np

from ..architecture import (
    ID_WEIGHTS,
    UNTRAINED_LAYERS,
    GraphSpec,
    expected_weight_shapes,
)
from .specs import Invalid

__all__ = ["ALIGN", "OPTIMIZER_SLOTS", "arrays_of", "check_manifest", "expected_arrays",
           "layout", "nbytes"]

#: Every array starts at a multiple of this many bytes of ``arrays.bin``.
ALIGN = 16
#: Per trainable weight, at most: Adam's two slots and amsgrad's third, an EMA
#: copy, a gradient accumulator; plus a few scalars (iterations, learning rate).
OPTIMIZER_SLOTS = 6
_OPTIMIZER_SCALARS = 8


def expected_arrays(params, fitted):
    """Key -> (dtype, shape) of the weights the header's model has, in order,
    and the set of trainable shapes (what optimizer slots may have).

    Raises
    ------
    Invalid
        ``char_dim`` and the feature encoder disagree.
    ValueError
        Parameters :class:`~sktag.architecture.GraphSpec` refuses.
    """
    encoder = fitted["feature_encoder_"]
    chars = encoder.char_vocabulary_
    char = params["char_dim"] > 0
    if char != (chars is not None):
        raise Invalid("params.char_dim", f"is {params['char_dim']}, but the feature encoder "
                                         f"{'has no' if char else 'has a'} character vocabulary")
    spec = GraphSpec.from_params(params, char_vocabulary=chars)
    n_prefixes = fitted.get("n_cluster_prefixes_", 0)
    shapes = expected_weight_shapes(
        spec, n_vocab=len(encoder.vocabulary_.tokens_),
        n_classes=len(fitted["target_encoder_"].classes_), d_model=params["d_model"],
        n_chars=len(chars.chars_) + 2 if char else 0, char_dim=params["char_dim"],
        hidden_dim=params["hidden_dim"], word_dropout=params["word_dropout"] > 0,
        n_extra=getattr(encoder.vocabulary_, "n_extra_", 0),
        vectors_dim=fitted.get("vectors_dim_", 0), n_cluster_prefixes=n_prefixes,
        cluster_dim=params.get("cluster_dim", 0) if n_prefixes else 0,
    )
    expected, trainable = {}, set()
    for layer, layer_shapes in shapes.items():
        for i, shape in enumerate(layer_shapes):
            is_id = (layer, i) in ID_WEIGHTS
            expected[f"weights/{layer}/{i}"] = ("<i4" if is_id else "<f4", tuple(shape))
            if layer not in UNTRAINED_LAYERS:
                trainable.add(tuple(shape))
    return expected, trainable


def _previous(key):
    """``weights/<layer>/<i - 1>`` for ``weights/<layer>/<i>``; None for index 0."""
    layer, index = key.rsplit("/", 1)
    return None if index == "0" else f"{layer}/{int(index) - 1}"


def nbytes(dtype, shape):
    """The bytes of an array of ``dtype`` (``"<f4"`` ...) and ``shape``."""
    return math.prod(shape) * int(dtype[-1])


def check_manifest(manifest, expected, trainable, optimizer_state):
    """The manifest is exactly the header's weights (and a bounded optimizer state).

    Returns the byte size ``arrays.bin`` must have.

    Raises
    ------
    Invalid
    """
    seen = {}
    end = 0
    n_optimizer = 0
    for i, entry in enumerate(manifest):
        where = f"arrays[{i}]"
        key, dtype, shape = entry["key"], entry["dtype"], tuple(entry["shape"])
        if key in seen:
            raise Invalid(where, f"key {key!r} appears twice")
        seen[key] = i
        if key.startswith("optimizer/"):
            if key != f"optimizer/{n_optimizer}":
                raise Invalid(where, f"expected key 'optimizer/{n_optimizer}', got {key!r}")
            n_optimizer += 1
            if shape and shape not in trainable:
                raise Invalid(where, f"optimizer array of shape {list(shape)}, which no "
                                     f"trainable weight has")
        elif key not in expected:
            raise Invalid(where, f"{key!r}: the header's model has no such weight")
        elif _previous(key) is not None and _previous(key) not in seen:
            raise Invalid(where, f"{key} comes before {_previous(key)}")
        elif (dtype, shape) != expected[key]:
            want_dtype, want_shape = expected[key]
            raise Invalid(where, f"{key} is {dtype} of shape {list(shape)}; the header's "
                                 f"vocabulary, labels and parameters need {want_dtype} "
                                 f"of shape {list(want_shape)}")
        start = -(-end // ALIGN) * ALIGN
        if entry["offset"] != start:
            raise Invalid(f"{where}.offset", f"expected {start}, got {entry['offset']}")
        end = start + nbytes(dtype, shape)
    missing = [key for key in expected if key not in seen]
    if missing:
        raise Invalid("arrays", f"missing {missing[0]!r}, which the header's model has")
    if optimizer_state != bool(n_optimizer):
        raise Invalid("arrays", f"{n_optimizer} optimizer arrays, but optimizer_state is "
                                f"{'true' if optimizer_state else 'false'}")
    weight_bytes = sum(nbytes(d, s) for d, s in expected.values())
    n_trainable = sum(1 for key, (d, s) in expected.items() if s in trainable)
    if n_optimizer > OPTIMIZER_SLOTS * n_trainable + _OPTIMIZER_SCALARS \
            or end > (1 + OPTIMIZER_SLOTS) * weight_bytes + (1 << 16) + ALIGN * len(manifest):
        raise Invalid("arrays", "more optimizer state than any optimizer keeps for these "
                                "weights")
    return end


def layout(weights, optimizer, prepare=lambda key, array: np.asarray(array)):
    """The manifest of ``weights`` (layer -> arrays) and ``optimizer`` (arrays or None).

    ``prepare(key, array)`` gives each array as it is to be written.

    Returns
    -------
    manifest : list of dict
        ``key``, ``dtype``, ``shape``, ``offset`` of each array, in order.
    arrays : list of ndarray
        The arrays ``prepare`` gave.
    size : int
        The bytes of ``arrays.bin``.
    """
    keyed = [(f"weights/{layer}/{i}", a) for layer, layer_arrays in weights.items()
             for i, a in enumerate(layer_arrays)]
    keyed += [(f"optimizer/{i}", a) for i, a in enumerate(optimizer or [])]
    manifest, arrays, end = [], [], 0
    for key, array in keyed:
        array = prepare(key, array)
        offset = -(-end // ALIGN) * ALIGN
        manifest.append({"key": key, "dtype": array.dtype.str, "shape": list(array.shape),
                         "offset": offset})
        arrays.append(array)
        end = offset + array.nbytes
    return manifest, arrays, end


def arrays_of(manifest, buffer):
    """``weights`` and ``optimizer_state`` as views of ``buffer``."""
    weights, optimizer = {}, []
    for entry in manifest:
        dtype, shape = np.dtype(entry["dtype"]), tuple(entry["shape"])
        array = np.frombuffer(buffer, dtype=dtype, count=math.prod(shape),
                              offset=entry["offset"]).reshape(shape)
        key = entry["key"]
        if key.startswith("optimizer/"):
            optimizer.append(array)
        else:
            _, layer, _ = key.split("/")
            weights.setdefault(layer, []).append(array)
    return weights, optimizer
