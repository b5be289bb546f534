"""The few ONNX protobuf messages sktag's graphs need, serialized without ``onnx``.

Importing the ``onnx`` package costs most of a second (it imports
``ml_dtypes``), which a service that loads a model
and predicts would pay at every start. sktag's graphs use a small, fixed
part of ONNX's schema (``onnx/onnx.proto``): a model with one graph of
nodes, initializers and typed inputs and outputs. This module writes those
messages in protobuf's wire format directly, field numbers as in
``onnx.proto``; ONNX Runtime reads the bytes. The test suite parses them
with the ``onnx`` package and runs its full checker on every graph.

Only writing is here; nothing reads bytes from a file.
"""

import struct

import numpy as np

__all__ = ["DTYPES", "FLOAT", "INT8", "INT32", "INT64", "Model", "Node", "tensor", "value_info"]

#: ONNX ``TensorProto.DataType`` values used by sktag's graphs.
FLOAT, INT8, INT32, INT64 = 1, 3, 6, 7
#: numpy dtype -> ONNX data type.
DTYPES = {np.dtype(np.float32): FLOAT, np.dtype(np.int8): INT8, np.dtype(np.int32): INT32,
          np.dtype(np.int64): INT64}
# AttributeProto.AttributeType
_ATTR_FLOAT, _ATTR_INT, _ATTR_STRING, _ATTR_INTS = 1, 2, 3, 7


def _varint(value):
    value &= (1 << 64) - 1  # negative int64: two's complement, ten bytes
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(field, wire_type):
    return _varint(field << 3 | wire_type)


# A message is written as a list of byte pieces, joined once at the end: a
# nested length-delimited field then costs a length prefix, not a copy of its
# content (a graph's weights would otherwise be copied once per nesting level).
def _int(field, value):
    return [_key(field, 0) + _varint(int(value))]


def _bytes(field, value):
    """A length-delimited field: str, bytes or a buffer, or a list of pieces."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    pieces = value if isinstance(value, list) else [value]
    size = sum(len(p) if isinstance(p, bytes) else memoryview(p).nbytes for p in pieces)
    return [_key(field, 2) + _varint(size), *pieces]


def _float(field, value):
    return [_key(field, 5) + struct.pack("<f", value)]


def _join(*fields):
    return [piece for field in fields for piece in field]


def tensor(name, array, external=False):
    """A ``TensorProto`` (raw little-endian data) of a float32, int8, int32 or int64 array.

    With ``external=True`` the data is left out and the tensor says it is
    external: ONNX Runtime then takes it from
    ``SessionOptions.add_external_initializers`` (see :attr:`Model.external`),
    so the weights are not copied into the model's bytes first.
    """
    array = np.asarray(array, order="C")  # not ascontiguousarray: it makes 0-d arrays 1-d
    data_type = DTYPES[array.dtype]
    if external:
        location = _join(_bytes(1, "location"), _bytes(2, name))
        return _join(*(_int(1, d) for d in array.shape), _int(2, data_type), _bytes(8, name),
                     _bytes(13, location), _int(14, 1))  # data_location = EXTERNAL
    raw = memoryview(array.astype(array.dtype.newbyteorder("<"), copy=False).reshape(-1)).cast("B")
    return _join(*(_int(1, d) for d in array.shape), _int(2, data_type), _bytes(8, name),
                 _bytes(9, raw))


def value_info(name, elem_type, shape):
    """A ``ValueInfoProto`` of a tensor; a str dimension is symbolic."""
    dims = _join(*(_bytes(1, _bytes(2, d) if isinstance(d, str) else _int(1, d)) for d in shape))
    tensor_type = _join(_int(1, elem_type), _bytes(2, dims))
    return _join(_bytes(1, name), _bytes(2, _bytes(1, tensor_type)))


def _attribute(name, value):
    if isinstance(value, (bool, int, np.integer)):
        return _join(_bytes(1, name), _int(3, value), _int(20, _ATTR_INT))
    if isinstance(value, float):
        return _join(_bytes(1, name), _float(2, value), _int(20, _ATTR_FLOAT))
    if isinstance(value, (str, bytes)):
        return _join(_bytes(1, name), _bytes(4, value), _int(20, _ATTR_STRING))
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, np.integer)) for v in value):
        return _join(_bytes(1, name), *(_int(8, v) for v in value), _int(20, _ATTR_INTS))
    raise TypeError(f"attribute {name!r}: unsupported value {value!r}")


class Node:
    """A ``NodeProto``: ``op_type`` of ``domain`` ("" for ONNX's own), its inputs, outputs and attributes."""

    def __init__(self, op_type, inputs, outputs, name, domain="", **attributes):
        self.op_type = op_type
        self.input = list(inputs)
        self.output = list(outputs)
        self.name = name
        self.domain = domain
        self.attributes = attributes

    def pieces(self):
        """The serialized ``NodeProto``, as byte pieces."""
        return _join(*(_bytes(1, i) for i in self.input), *(_bytes(2, o) for o in self.output),
                     _bytes(3, self.name), _bytes(4, self.op_type),
                     *(_bytes(5, _attribute(k, v)) for k, v in sorted(self.attributes.items())),
                     *((_bytes(7, self.domain),) if self.domain else ()))


class Model:
    """A ``ModelProto`` with one graph, ready to serialize.

    Parameters
    ----------
    nodes : list of Node
    initializers : list
        Serialized tensors (:func:`tensor`).
    inputs, outputs : list
        Serialized value infos (:func:`value_info`).
    graph_name, doc : str
    opset, ir_version : int
    producer_name, producer_version : str
    metadata : dict of str to str
        ``metadata_props``.
    output_widths : dict of str to int
        The last dimension of each output, for callers that need it
        without parsing the model.
    external : dict of str to ndarray, default=None
        The initializers written with ``external=True``, by name.
    domains : dict of str to int, default=None
        The operator sets of other domains the nodes use, and their versions
        (``{"com.microsoft": 1}``).
    """

    def __init__(self, *, nodes, initializers, inputs, outputs, graph_name, doc, opset,
                 ir_version, producer_name, producer_version, metadata, output_widths,
                 external=None, domains=None):
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
        self.graph_name = graph_name
        self.doc = doc
        self.opset = opset
        self.ir_version = ir_version
        self.producer_name = producer_name
        self.producer_version = producer_version
        self.metadata = dict(metadata)
        self.output_widths = dict(output_widths)
        self.external = dict(external or {})
        self.domains = dict(domains or {})

    def SerializeToString(self):
        """The model's bytes, as ``onnx.ModelProto.SerializeToString`` would give them."""
        graph = _join(*(_bytes(1, n.pieces()) for n in self.nodes), _bytes(2, self.graph_name),
                      *(_bytes(5, t) for t in self.initializers), _bytes(10, self.doc),
                      *(_bytes(11, v) for v in self.inputs), *(_bytes(12, v) for v in self.outputs))
        model = _join(_int(1, self.ir_version), _bytes(2, self.producer_name),
                      _bytes(3, self.producer_version), _bytes(6, self.doc), _bytes(7, graph),
                      _bytes(8, _join(_bytes(1, ""), _int(2, self.opset))),
                      *(_bytes(8, _join(_bytes(1, domain), _int(2, version)))
                        for domain, version in self.domains.items()),
                      *(_bytes(14, _join(_bytes(1, k), _bytes(2, v)))
                        for k, v in self.metadata.items()))
        return b"".join(model)

    def to_onnx(self):
        """The same model as an ``onnx.ModelProto`` (imports the ``onnx`` package)."""
        import onnx

        if self.external:
            raise ValueError("a model with external initializers is not standalone")
        return onnx.load_from_string(self.SerializeToString())
