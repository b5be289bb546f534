"""ONNX graphs of sktag's Keras models, built from their fitted weights.

The graphs compute what :func:`sktag.models.build_model`'s models compute at
inference, the way skl2onnx converters build a graph from an estimator's
fitted parameters: node by node (written by :mod:`sktag.onnx_proto`, so
that building a graph needs no ``onnx`` import), from the arrays of
:func:`sktag.keras_reading.keras_weights` and the structure of a
:class:`GraphSpec`. Nothing here traces or exports a Keras model, and this
module imports neither Keras nor
TensorFlow: a graph can be rebuilt from saved weights alone.

Three graphs, which share the code that emits their nodes:

:func:`build_char_encoder`
    ``char_ids`` int64 ``(n_tokens, max_chars)`` -> ``char_features`` float32
    ``(n_tokens, n_features)``, the ``char_encoder`` of a model with
    characters, to run once per distinct token.
:func:`build_word_tagger`
    ``token_ids`` int64 ``(batch, length)`` (and, with characters,
    ``token_chars`` float32 ``(batch, length, n_features)``) ->
    ``probabilities`` float32 ``(batch, length, n_classes)``.
:func:`build_tagger`
    The whole model in one graph, for export: ``token_ids`` (and, with
    characters, ``char_ids`` int64 ``(batch, length, max_chars)``) ->
    ``probabilities``.

Inference semantics reproduced (training-only layers are the identity):

* ``WordDropout`` and ``Dropout`` do nothing; ``TokenMask`` is
  ``token_ids != 0``.
* Characters: the ``char_embedding`` row of every character id, padding id 0
  included (Keras does not mask it), a width-3 ``"same"`` convolution with
  ReLU over the characters, the maximum over all ``max_chars`` positions;
  then the embeddings of the first ``n_affix`` ids and of the last
  ``n_affix`` nonzero positions (0 where the token is shorter, see
  ``AffixChars``), flattened; then, with a class table, the classes of the
  first character and their maximum over the characters. Concatenated in
  that order.
* ``conv``: before each width-3 ``"same"`` convolution (ReLU) the padding
  positions are zeroed.
* ``bilstm``: each layer is an ONNX ``LSTM`` with ``direction="bidirectional"``
  whose ``sequence_lens`` is the number of nonzero token ids of each row,
  which is what the Keras mask does when the real tokens are a left-aligned
  prefix of the row (padding id 0 on the right), as sktag writes batches.
  The outputs of both directions are concatenated, forward first. A 0 id
  inside a sentence would end it here, where Keras would skip that one step.
  The LSTM outputs past a sentence's end are 0, as Keras 3's are; only the
  real tokens' probabilities are meaningful, though, here as in Keras.

Empty batches (0 sentences, or a length of 0) give empty probabilities:
the graphs add one padding position or sentence where onnxruntime's ``Conv``
and ``LSTM`` kernels would fail or crash on them, and slice it off again.

All floats are float32 and all ids int64; the graphs use opset
:data:`OPSET` with symbolic ``batch``, ``length`` and ``n_tokens`` dimensions,
and only the operators in :data:`ALLOWED_OPS`.

With ``precision="int8"`` (:data:`PRECISIONS`) the word tagger is ONNX
Runtime's dynamic quantization of the float graph, written here as well:
its large weights are stored as symmetric int8 with one float scale per
output channel (per row for the word embedding), and the activations that
meet them are quantized to uint8 on the fly, per tensor, by the kernels of
ONNX Runtime's ``com.microsoft`` operator set (:data:`MS_DOMAIN`):

* the word embedding: an int8 ``Gather`` times the row's scale;
* ``conv``: each width-3 convolution is a ``DynamicQuantizeMatMul`` of the
  concatenated previous, current and next positions (ONNX Runtime runs
  ``ConvInteger`` slower than the float ``Conv``);
* ``bilstm``: ``DynamicQuantizeLSTM``, input and recurrent kernels in int8;
* the output layer: ``DynamicQuantizeMatMul``.

Its extra operators are :data:`INT8_OPS`. The character encoder stays float
(it runs once per distinct token, and its features are cached).
"""

import json
from dataclasses import asdict

import numpy as np

from . import __version__, onnx_proto
from .architecture import (
    CHAR_CLASSES_LAYER,
    CHAR_CONV_LAYER,
    CHAR_EMBEDDING_LAYER,
    EMBEDDING_LAYER,
    PRECISIONS,
    TAGGER_LAYER,
    GraphSpec,
    expected_weight_shapes,
)

__all__ = [
    "ALLOWED_OPS",
    "INT8_OPS",
    "IR_VERSION",
    "MS_DOMAIN",
    "OPSET",
    "PRECISIONS",
    "GraphSpec",
    "build_char_encoder",
    "build_tagger",
    "build_word_tagger",
    "expected_weight_shapes",
]

#: The ONNX operator set the graphs import (default domain only).
OPSET = 17

#: The IR version the graphs declare: the one of :data:`OPSET`, so that runtimes
#: older than the installed :mod:`onnx` package still load them.
IR_VERSION = 8

#: Every operator type the builders can emit; a graph with any other is not theirs.
ALLOWED_OPS = frozenset({
    "Add", "Cast", "Concat", "Conv", "Equal", "Flatten", "Gather", "GatherElements",
    "LSTM", "Less", "MatMul", "Max", "Mul", "Not", "Pad", "ReduceMax", "ReduceSum", "Relu",
    "Reshape", "Shape", "Slice", "Softmax", "Transpose", "Unsqueeze", "Where",
})

#: The domain of ONNX Runtime's own operators (its contrib operators), version 1.
MS_DOMAIN = "com.microsoft"

#: The operators only the int8 word tagger adds, each of :data:`MS_DOMAIN`.
INT8_OPS = frozenset({"DynamicQuantizeLSTM", "DynamicQuantizeMatMul"})

# Symmetric int8 weights use the levels -127..127 (no -128: a weight and its
# negation quantize alike).
_INT8_LEVELS = 127


# Keras's LSTM kernels hold the gates' blocks in the order i, f, c, o; ONNX's in i, o, f, c.
_KERAS_TO_ONNX_GATES = (0, 3, 1, 2)

# ---------------------------------------------------------------------------
# Building graphs
# ---------------------------------------------------------------------------

class _Graph:
    """Nodes and initializers of a graph under construction, with fresh names."""

    #: Initializers of at least this many bytes are external when ``external_data``.
    external_from = 1 << 16

    def __init__(self, external_data=False):
        self.external_data = external_data
        self.external = {}
        self.nodes = []
        self.initializers = []
        self._used = set()
        self._constants = {}
        self.domains = {}  # the operator sets other than ONNX's the nodes use: their version

    def name(self, hint):
        name, i = hint, 1
        while name in self._used:
            i += 1
            name = f"{hint}_{i}"
        self._used.add(name)
        return name

    def const(self, hint, value, dtype=np.float32):
        """An initializer holding ``value`` (one per hint and value); returns its name."""
        array = np.asarray(value, dtype=dtype, order="C")  # external data must be C-ordered
        key = (hint, array.dtype.str, array.shape, array.tobytes())
        if key not in self._constants:
            self._constants[key] = name = self.name(hint)
            external = self.external_data and array.nbytes >= self.external_from
            if external:
                self.external[name] = array
            self.initializers.append(onnx_proto.tensor(name, array, external=external))
        return self._constants[key]

    def op(self, op_type, *inputs, hint=None, **attributes):
        """Append one node with one output; returns the output's name.

        An operator of :data:`INT8_OPS` is of :data:`MS_DOMAIN`; an input
        ``""`` is an optional input left out.
        """
        domain = MS_DOMAIN if op_type in INT8_OPS else ""
        assert op_type in ALLOWED_OPS or domain, op_type
        if domain:
            self.domains[domain] = 1
        output = self.name(hint or op_type.lower())
        self.nodes.append(onnx_proto.Node(
            op_type, list(inputs), [output], name=self.name(f"{op_type}_{len(self.nodes)}"),
            domain=domain, **attributes,
        ))
        return output

    def model(self, graph_name, doc, inputs, outputs, spec, role, precision="float32"):
        """The finished model; ``inputs`` and ``outputs`` are :func:`_tensor` triples."""
        metadata = {"sktag.graph": role, "sktag.spec": json.dumps(asdict(spec))}
        if precision != "float32":
            metadata["sktag.precision"] = precision
        return onnx_proto.Model(
            nodes=self.nodes, initializers=self.initializers,
            inputs=[onnx_proto.value_info(*t) for t in inputs],
            outputs=[onnx_proto.value_info(*t) for t in outputs],
            graph_name=graph_name, doc=doc, opset=OPSET, ir_version=IR_VERSION,
            producer_name="sktag", producer_version=__version__,
            metadata=metadata, output_widths={name: shape[-1] for name, _, shape in outputs},
            external=self.external, domains=self.domains,
        )


def _layer(weights, name, count):
    """The ``count`` weight arrays of layer ``name``, as float32."""
    arrays = weights.get(name)
    if arrays is None:
        raise ValueError(f"No weights for layer {name!r}.")
    if len(arrays) != count:
        raise ValueError(f"Layer {name!r} has {len(arrays)} weight arrays, expected {count}.")
    return [np.asarray(a, dtype=np.float32) for a in arrays]


def _expect(array, shape, what):
    """Check ``array.shape`` against ``shape`` (None matches any size)."""
    if len(array.shape) != len(shape) or any(
        want is not None and got != want for got, want in zip(array.shape, shape)
    ):
        raise ValueError(f"{what} has shape {array.shape}, expected {shape}.")


def _not_padding(g, ids, to):
    """``ids != 0`` as type ``to``."""
    zero = g.const("zero", 0, np.int64)
    return g.op("Cast", g.op("Not", g.op("Equal", ids, zero)), to=to, hint="not_padding")


def _emit_char_features(g, spec, weights, char_ids):
    """Append the character encoder; ``char_ids`` is int64 ``(N, max_chars)``.

    Returns the name of the float32 ``(N, n_features)`` features and
    ``n_features``.
    """
    (table,) = _layer(weights, CHAR_EMBEDDING_LAYER, 1)
    _expect(table, (None, None), CHAR_EMBEDDING_LAYER)
    n_chars, char_dim = table.shape
    kernel, bias = _layer(weights, CHAR_CONV_LAYER, 2)
    _expect(kernel, (1, 3, char_dim, None), "char_conv kernel")
    filters = kernel.shape[-1]
    _expect(bias, (filters,), "char_conv bias")

    embeddings = g.const("char_embedding.embeddings", table)
    x = g.op("Gather", embeddings, char_ids, axis=0, hint="char_vectors")  # (N, M, D)
    x = g.op("Transpose", x, perm=[0, 2, 1])  # (N, D, M)
    x = g.op(
        "Conv", x, g.const("char_conv.kernel", kernel[0].transpose(2, 1, 0)),
        g.const("char_conv.bias", bias), kernel_shape=[3], pads=[1, 1], hint="char_conv",
    )
    x = g.op("Relu", x)
    parts = [g.op("ReduceMax", x, axes=[2], keepdims=0, hint="char_cnn")]  # (N, F)
    width = filters

    n = spec.n_affix
    if n:
        zero = g.const("zero", 0, np.int64)
        lengths = g.op(
            "ReduceSum", _not_padding(g, char_ids, onnx_proto.INT64),
            g.const("last_axis", [1], np.int64), keepdims=1, hint="n_chars",
        )  # (N, 1)
        positions = g.op("Add", lengths, g.const("suffix_offsets", np.arange(n) - n, np.int64))
        suffix = g.op("GatherElements", char_ids, g.op("Max", positions, zero), axis=1)
        suffix = g.op("Where", g.op("Less", positions, zero), zero, suffix, hint="suffix_ids")
        prefix = g.op(
            "Slice", char_ids, g.const("prefix_start", [0], np.int64),
            g.const("prefix_end", [n], np.int64), g.const("last_axis", [1], np.int64),
            hint="prefix_ids",
        )
        affixes = g.op("Concat", prefix, suffix, axis=1, hint="affix_chars")  # (N, 2n)
        affixes = g.op("Gather", embeddings, affixes, axis=0)  # (N, 2n, D)
        parts.append(g.op("Flatten", affixes, axis=1, hint="affix_features"))
        width += 2 * n * char_dim

    if spec.char_classes:
        (classes_table,) = _layer(weights, CHAR_CLASSES_LAYER, 1)
        _expect(classes_table, (n_chars, None), "char_classes table")
        classes = g.op(
            "Gather", g.const("char_classes.table", classes_table), char_ids, axis=0,
            hint="classes",
        )  # (N, M, C)
        first = g.op("Gather", classes, g.const("first", 0, np.int64), axis=1, hint="first_class")
        parts += [first, g.op("ReduceMax", classes, axes=[1], keepdims=0, hint="any_class")]
        width += 2 * classes_table.shape[1]

    if len(parts) == 1:
        return parts[0], width
    return g.op("Concat", *parts, axis=1, hint="char_features"), width


def _lstm_block(array, units):
    """Keras gate blocks (i, f, c, o) along axis 0 -> ONNX's (i, o, f, c)."""
    blocks = [array[k * units:(k + 1) * units] for k in range(4)]
    return np.concatenate([blocks[k] for k in _KERAS_TO_ONNX_GATES])


def _int8_symmetric(array, axis):
    """Symmetric int8 quantization of ``array``, one scale per vector along ``axis``.

    Returns the int8 array ``q`` and the float32 scales ``s`` (the shape of
    ``array`` with ``axis`` of size 1) such that ``q * s`` is ``array``
    within ``s / 2``: ``s`` is the vector's largest magnitude over 127 (1
    where it is all 0). A kernel ``(in, out)`` quantized along axis 0 has
    one scale per output channel.
    """
    peak = np.abs(array).max(axis=axis, keepdims=True)
    scale = np.where(peak > 0, peak / _INT8_LEVELS, 1).astype(np.float32)
    q = np.clip(np.rint(array / scale), -_INT8_LEVELS, _INT8_LEVELS).astype(np.int8)
    return q, scale


def _dense(g, x, kernel, bias, layer, precision, hint):
    """``x @ kernel + bias`` over the last axis of ``x``; ``kernel`` is ``(in, out)``.

    In int8, one ``DynamicQuantizeMatMul``: ``x`` quantized to uint8 per
    tensor, the kernel's columns in int8 (:func:`_int8_symmetric`).
    """
    if precision == "int8":
        q, scale = _int8_symmetric(kernel, axis=0)
        return g.op(
            "DynamicQuantizeMatMul", x, g.const(f"{layer}.kernel_int8", q, np.int8),
            g.const(f"{layer}.kernel_scale", scale.reshape(-1)), "",
            g.const(f"{layer}.bias", bias), hint=hint,
        )
    return g.op(
        "Add", g.op("MatMul", x, g.const(f"{layer}.kernel", kernel)),
        g.const(f"{layer}.bias", bias), hint=hint,
    )


def _emit_word_vectors(g, table, token_ids, precision):
    """The word embedding rows of ``token_ids``: float32 ``(batch, length, d_model)``."""
    if precision == "int8":
        # (V, 1) scales: the gathered scales broadcast over each row.
        q, scale = _int8_symmetric(table, axis=1)
        rows = g.op("Gather", g.const("embedding.embeddings_int8", q, np.int8), token_ids, axis=0)
        scales = g.op("Gather", g.const("embedding.row_scales", scale), token_ids, axis=0)
        return g.op("Mul", g.op("Cast", rows, to=onnx_proto.FLOAT), scales, hint="word_vectors")
    return g.op(
        "Gather", g.const("embedding.embeddings", table), token_ids, axis=0, hint="word_vectors"
    )


def _conv_weights(weights, i, width):
    kernel, bias = _layer(weights, f"conv_{i}", 2)
    _expect(kernel, (3, width, None), f"conv_{i} kernel")
    _expect(bias, (kernel.shape[-1],), f"conv_{i} bias")
    return kernel, bias


def _emit_float_convolutions(g, spec, weights, x, token_ids, width):
    """The ``conv`` context layers as ONNX ``Conv`` nodes; returns ``(B, L, H)`` and H."""
    mask = g.op(
        "Unsqueeze", _not_padding(g, token_ids, onnx_proto.FLOAT),
        g.const("channel_axis", [1], np.int64), hint="token_mask",
    )  # (B, 1, L)
    # One more padding position: onnxruntime's Conv rejects length 0, and
    # zeroed padding changes nothing (the same as the convolution's border).
    x = g.op("Transpose", x, perm=[0, 2, 1])  # (B, C, L)
    x = g.op("Pad", x, g.const("pad_length", [0, 0, 0, 0, 0, 1], np.int64))
    mask = g.op("Pad", mask, g.const("pad_length", [0, 0, 0, 0, 0, 1], np.int64))
    for i in range(spec.n_context_layers):
        kernel, bias = _conv_weights(weights, i, width)
        width = kernel.shape[-1]
        x = g.op("Mul", x, mask, hint=f"zero_padding_{i}")
        x = g.op(
            "Conv", x, g.const(f"conv_{i}.kernel", kernel.transpose(2, 1, 0)),
            g.const(f"conv_{i}.bias", bias), kernel_shape=[3], pads=[1, 1], hint=f"conv_{i}",
        )
        x = g.op("Relu", x)
    x = g.op("Slice", x, g.const("start", [0], np.int64), g.const("drop_last", [-1], np.int64),
             g.const("length_axis", [2], np.int64))
    return g.op("Transpose", x, perm=[0, 2, 1]), width  # (B, L, H)


def _emit_int8_convolutions(g, spec, weights, x, token_ids, width):
    """The ``conv`` context layers, each a quantized matrix product of the
    concatenated previous, current and next positions; returns ``(B, L, H)`` and H."""
    mask = g.op(
        "Unsqueeze", _not_padding(g, token_ids, onnx_proto.FLOAT),
        g.const("channel_axis", [2], np.int64), hint="token_mask",
    )  # (B, L, 1)
    # One more padding position, as in the float graph: no product of 0 rows.
    pad_end = g.const("pad_length", [0, 0, 0, 0, 1, 0], np.int64)
    x, mask = g.op("Pad", x, pad_end), g.op("Pad", mask, pad_end)
    length_axis = g.const("length_axis", [1], np.int64)
    for i in range(spec.n_context_layers):
        kernel, bias = _conv_weights(weights, i, width)
        x = g.op("Mul", x, mask, hint=f"zero_padding_{i}")
        padded = g.op("Pad", x, g.const("pad_both_ends", [0, 1, 0, 0, 1, 0], np.int64))
        previous = g.op("Slice", padded, g.const("start", [0], np.int64),
                        g.const("drop_two", [-2], np.int64), length_axis, hint=f"previous_{i}")
        following = g.op("Slice", padded, g.const("two", [2], np.int64),
                         g.const("end", [np.iinfo(np.int64).max], np.int64), length_axis,
                         hint=f"next_{i}")
        window = g.op("Concat", previous, x, following, axis=2, hint=f"window_{i}")  # (B, L, 3C)
        # Keras's (3, C, H) kernel, taps in the window's order.
        x = _dense(g, window, kernel.reshape(3 * width, -1), bias, f"conv_{i}", "int8",
                   hint=f"conv_{i}")
        x = g.op("Relu", x)
        width = kernel.shape[-1]
    x = g.op("Slice", x, g.const("start", [0], np.int64), g.const("drop_last", [-1], np.int64),
             length_axis)
    return x, width


def _emit_lstms(g, spec, weights, x, token_ids, width, precision):
    """The ``bilstm`` context layers; returns ``(B, L, 2H)`` and 2H."""
    lengths = g.op(
        "ReduceSum", _not_padding(g, token_ids, onnx_proto.INT64),
        g.const("length_axis", [1], np.int64), keepdims=0,
    )
    lengths = g.op("Cast", lengths, to=onnx_proto.INT32, hint="sequence_lens")  # (B,)
    # One more, empty, sentence: onnxruntime's LSTM crashes on a batch of 0.
    lengths = g.op("Pad", lengths, g.const("pad_batch", [0, 1], np.int64))
    x = g.op("Transpose", x, perm=[1, 0, 2])  # (L, B, C): ONNX LSTM's layout 0
    x = g.op("Pad", x, g.const("pad_batch", [0, 0, 0, 0, 1, 0], np.int64))
    length_batch = g.op("Shape", x, start=0, end=2, hint="length_batch")
    for i in range(spec.n_context_layers):
        arrays = _layer(weights, f"bilstm_{i}", 6)
        _expect(arrays[1], (None, None), f"bilstm_{i} forward recurrent kernel")
        units = arrays[1].shape[0]
        for direction, (kernel, recurrent, bias) in zip(
            ("forward", "backward"), (arrays[:3], arrays[3:])
        ):
            _expect(kernel, (width, 4 * units), f"bilstm_{i} {direction} kernel")
            _expect(recurrent, (units, 4 * units), f"bilstm_{i} {direction} recurrent kernel")
            _expect(bias, (4 * units,), f"bilstm_{i} {direction} bias")
        directions = (arrays[:3], arrays[3:])
        w = np.stack([_lstm_block(k.T, units) for k, _, _ in directions])
        r = np.stack([_lstm_block(rk.T, units) for _, rk, _ in directions])
        b = np.stack([
            np.concatenate([_lstm_block(bias, units), np.zeros(4 * units, np.float32)])
            for _, _, bias in directions
        ])
        if precision == "int8":
            # (directions, in, 4H) kernels, a scale per direction and gate unit.
            (w, w_scale), (r, r_scale) = (
                _int8_symmetric(a.transpose(0, 2, 1), axis=1) for a in (w, r))
            zeros = g.const("lstm_zero_points", np.zeros((2, 4 * units)), np.int8)
            y = g.op(
                "DynamicQuantizeLSTM", x, g.const(f"bilstm_{i}.W_int8", w, np.int8),
                g.const(f"bilstm_{i}.R_int8", r, np.int8), g.const(f"bilstm_{i}.B", b), lengths,
                "", "", "",
                g.const(f"bilstm_{i}.W_scale", w_scale.reshape(2, -1)), zeros,
                g.const(f"bilstm_{i}.R_scale", r_scale.reshape(2, -1)), zeros,
                direction="bidirectional", hidden_size=int(units), hint=f"bilstm_{i}",
            )  # (L, 2, B, H)
        else:
            y = g.op(
                "LSTM", x, g.const(f"bilstm_{i}.W", w), g.const(f"bilstm_{i}.R", r),
                g.const(f"bilstm_{i}.B", b), lengths, direction="bidirectional",
                hidden_size=int(units), hint=f"bilstm_{i}",
            )  # (L, 2, B, H)
        y = g.op("Transpose", y, perm=[0, 2, 1, 3])  # (L, B, 2, H)
        shape = g.op(
            "Concat", length_batch, g.const(f"bilstm_{i}.width", [2 * units], np.int64), axis=0,
        )
        # allowzero: a 0 in the shape is a length of 0, not "copy this dimension".
        x = g.op("Reshape", y, shape, allowzero=1)  # (L, B, 2H): [forward, backward]
        width = 2 * units
    x = g.op("Slice", x, g.const("start", [0], np.int64), g.const("drop_last", [-1], np.int64),
             g.const("batch_axis", [1], np.int64))
    return g.op("Transpose", x, perm=[1, 0, 2]), width  # (B, L, 2H)


def _emit_word_tagger(g, spec, weights, token_ids, token_chars=None, n_char_features=0,
                      precision="float32"):
    """Append the word tagger; ``token_ids`` int64 ``(batch, length)``, ``token_chars``
    float32 ``(batch, length, n_char_features)`` or None.

    Returns the name of the probabilities and the number of classes.
    """
    (table,) = _layer(weights, EMBEDDING_LAYER, 1)
    _expect(table, (None, None), EMBEDDING_LAYER)
    x = _emit_word_vectors(g, table, token_ids, precision)
    width = table.shape[1] + n_char_features
    if token_chars is not None:
        x = g.op("Concat", x, token_chars, axis=2, hint="word_and_chars")

    if spec.encoder == "conv" and spec.n_context_layers:
        emit = _emit_int8_convolutions if precision == "int8" else _emit_float_convolutions
        x, width = emit(g, spec, weights, x, token_ids, width)
    elif spec.encoder == "bilstm" and spec.n_context_layers:
        x, width = _emit_lstms(g, spec, weights, x, token_ids, width, precision)

    kernel, bias = _layer(weights, TAGGER_LAYER, 2)
    _expect(kernel, (width, None), "tagger kernel")
    n_classes = kernel.shape[1]
    _expect(bias, (n_classes,), "tagger bias")
    logits = _dense(g, x, kernel, bias, TAGGER_LAYER, precision, hint="logits")
    return g.op("Softmax", logits, axis=-1, hint="softmax"), n_classes


def _output(g, value, name):
    """Rename the last node's output ``value`` to the graph output ``name``."""
    node = g.nodes[-1]
    assert list(node.output) == [value]
    node.output[0] = name
    return name


def _tensor(name, elem_type, shape):
    return name, elem_type, shape


def _check_precision(precision):
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}.")


def _require_char(spec, builder):
    if not spec.char:
        raise ValueError(f"{builder} needs a spec with char=True.")


def build_char_encoder(spec, weights, *, external_data=False):
    """The ONNX graph of a model's character encoder.

    Parameters
    ----------
    spec : GraphSpec
        With ``char=True``.
    weights : dict of str to list of ndarray
        See :func:`sktag.keras_reading.keras_weights`.
    external_data : bool, default=False
        Leave the large initializers out of the model's bytes, for
        ``SessionOptions.add_external_initializers`` (see
        :attr:`sktag.onnx_proto.Model.external`); the model is then not
        standalone.

    Returns
    -------
    model : sktag.onnx_proto.Model
        Input ``char_ids`` int64 ``(n_tokens, max_chars)``, each row a token's
        character ids as :class:`~sktag.vocabulary.CharVocabulary` writes
        them; output ``char_features`` float32 ``(n_tokens, n_features)``.

    Raises
    ------
    ValueError
        The spec has no characters, or the weights do not fit it.
    """
    _require_char(spec, "build_char_encoder")
    g = _Graph(external_data)
    g.name("char_ids")
    features, width = _emit_char_features(g, spec, weights, "char_ids")
    g.name("char_features")
    _output(g, features, "char_features")
    return g.model(
        "sktag_char_encoder",
        "sktag character encoder: the character features of each token, from its "
        "row of character ids (embedding, width-3 CNN max-pooled over the characters, "
        "prefix and suffix embeddings, character classes).",
        [_tensor("char_ids", onnx_proto.INT64, ["n_tokens", spec.max_chars])],
        [_tensor("char_features", onnx_proto.FLOAT, ["n_tokens", width])],
        spec, "char_encoder",
    )


def _char_width(spec, weights):
    """Number of character features the weights give (from a throwaway graph,
    which also checks the weights)."""
    probe = _Graph()
    return _emit_char_features(probe, spec, weights, "char_ids")[1]


def build_word_tagger(spec, weights, *, external_data=False, precision="float32"):
    """The ONNX graph of a model's word tagger (the whole model without characters).

    Parameters
    ----------
    spec : GraphSpec
    weights : dict of str to list of ndarray
        See :func:`sktag.keras_reading.keras_weights`.
    external_data : bool, default=False
        Leave the large initializers out of the model's bytes, for
        ``SessionOptions.add_external_initializers`` (see
        :attr:`sktag.onnx_proto.Model.external`); the model is then not
        standalone.
    precision : {"float32", "int8"}, default="float32"
        ``"int8"``: the large weights in int8 and the matrix products and
        LSTMs quantized dynamically (see the module's notes): a graph about
        a quarter the size, run by ONNX Runtime's ``com.microsoft`` kernels,
        whose probabilities differ from the float graph's by the
        quantization error, and depend a little on the other sentences of
        the batch (the activations' scale is the batch's).

    Returns
    -------
    model : sktag.onnx_proto.Model
        Inputs ``token_ids`` int64 ``(batch, length)``, padded on the right
        with 0, and with ``spec.char`` ``token_chars`` float32
        ``(batch, length, n_features)`` (the output of
        :func:`build_char_encoder`'s graph for each token); output
        ``probabilities`` float32 ``(batch, length, n_classes)``.

    Raises
    ------
    ValueError
        The weights do not fit the spec, or ``precision`` is not one of
        :data:`PRECISIONS`.
    """
    _check_precision(precision)
    g = _Graph(external_data)
    g.name("token_ids")
    inputs = [_tensor("token_ids", onnx_proto.INT64, ["batch", "length"])]
    token_chars, width = None, 0
    if spec.char:
        width = _char_width(spec, weights)
        token_chars = g.name("token_chars")
        inputs.append(_tensor("token_chars", onnx_proto.FLOAT, ["batch", "length", width]))
    g.name("probabilities")
    probabilities, n_classes = _emit_word_tagger(
        g, spec, weights, "token_ids", token_chars, width, precision)
    _output(g, probabilities, "probabilities")
    return g.model(
        "sktag_word_tagger",
        f"sktag word tagger ({spec.encoder} encoder"
        + (", int8" if precision == "int8" else "")
        + "): the class probabilities of each token from its id"
        + (" and character features." if spec.char else "."),
        inputs, [_tensor("probabilities", onnx_proto.FLOAT, ["batch", "length", n_classes])],
        spec, "word_tagger", precision,
    )


def build_tagger(spec, weights, *, precision="float32"):
    """The ONNX graph of a whole model: ids in, probabilities out.

    Parameters
    ----------
    spec : GraphSpec
    weights : dict of str to list of ndarray
        See :func:`sktag.keras_reading.keras_weights`.
    precision : {"float32", "int8"}, default="float32"
        ``"int8"``: the word tagger's large weights in int8 and its matrix
        products and LSTMs quantized dynamically (see the module's notes),
        run by ONNX Runtime's ``com.microsoft`` kernels; the character
        encoder stays float32.

    Returns
    -------
    model : sktag.onnx_proto.Model
        Inputs ``token_ids`` int64 ``(batch, length)``, padded on the right
        with 0, and with ``spec.char`` ``char_ids`` int64
        ``(batch, length, max_chars)``; output ``probabilities`` float32
        ``(batch, length, n_classes)``.

    Raises
    ------
    ValueError
        The weights do not fit the spec, or ``precision`` is not one of
        :data:`PRECISIONS`.
    """
    _check_precision(precision)
    g = _Graph()
    g.name("token_ids")
    inputs = [_tensor("token_ids", onnx_proto.INT64, ["batch", "length"])]
    token_chars, width = None, 0
    if spec.char:
        g.name("char_ids")
        inputs.append(_tensor("char_ids", onnx_proto.INT64, ["batch", "length", spec.max_chars]))
        rows = g.op("Flatten", "char_ids", axis=2, hint="token_char_rows")  # (B * L, M)
        features, width = _emit_char_features(g, spec, weights, rows)
        shape = g.op(
            "Concat", g.op("Shape", "char_ids", start=0, end=2, hint="batch_length"),
            g.const("char_features_width", [width], np.int64), axis=0,
        )
        token_chars = g.op("Reshape", features, shape, allowzero=1, hint="token_chars")
    g.name("probabilities")
    probabilities, n_classes = _emit_word_tagger(
        g, spec, weights, "token_ids", token_chars, width, precision)
    _output(g, probabilities, "probabilities")
    return g.model(
        "sktag_tagger",
        f"sktag token tagger ({spec.encoder} encoder"
        + (", with characters" if spec.char else "")
        + (", int8" if precision == "int8" else "")
        + "): the class probabilities of each token of a batch of padded sentences.",
        inputs, [_tensor("probabilities", onnx_proto.FLOAT, ["batch", "length", n_classes])],
        spec, "tagger", precision,
    )
