"""sktag.onnx_proto writes what the onnx package reads back, field for field."""

import numpy as np
import onnx
from onnx import numpy_helper

from sktag import onnx_proto


def test_a_model_round_trips_through_the_onnx_package():
    weights = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
    model = onnx_proto.Model(
        nodes=[onnx_proto.Node("Gather", ["w", "ids"], ["rows"], name="gather", axis=0),
               onnx_proto.Node("Transpose", ["rows"], ["out"], name="t", perm=[2, 0, -1]),
               onnx_proto.Node("LeakyRelu", ["out"], ["y"], name="r", alpha=0.25),
               onnx_proto.Node("LSTM", [], ["z"], name="l", direction="bidirectional")],
        initializers=[onnx_proto.tensor("w", weights),
                      onnx_proto.tensor("big", np.array([-(2**40), 3], dtype=np.int64)),
                      onnx_proto.tensor("i", np.array(7, dtype=np.int32))],
        inputs=[onnx_proto.value_info("ids", onnx_proto.INT64, ["batch", 4])],
        outputs=[onnx_proto.value_info("y", onnx_proto.FLOAT, ["batch", 4, 3])],
        graph_name="g", doc="a doc", opset=17, ir_version=8, producer_name="sktag",
        producer_version="0", metadata={"k": "ü"}, output_widths={"y": 3},
    )
    parsed = onnx.load_from_string(model.SerializeToString())
    assert parsed.ir_version == 8 and parsed.producer_name == "sktag"
    assert [(o.domain, o.version) for o in parsed.opset_import] == [("", 17)]
    assert {p.key: p.value for p in parsed.metadata_props} == {"k": "ü"}
    graph = parsed.graph
    assert graph.name == "g" and graph.doc_string == "a doc"
    assert [n.op_type for n in graph.node] == ["Gather", "Transpose", "LeakyRelu", "LSTM"]
    attrs = {a.name: onnx.helper.get_attribute_value(a) for n in graph.node for a in n.attribute}
    assert attrs == {"axis": 0, "perm": [2, 0, -1], "alpha": 0.25, "direction": b"bidirectional"}
    arrays = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    np.testing.assert_array_equal(arrays["w"], weights)
    assert arrays["big"].tolist() == [-(2**40), 3]
    assert arrays["i"].dtype == np.int32 and arrays["i"].shape == () and arrays["i"] == 7
    dims = graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["batch", 4]
    assert graph.output[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT


def test_int8_tensors_and_operators_of_another_domain_round_trip():
    model = onnx_proto.Model(
        nodes=[onnx_proto.Node("DynamicQuantizeMatMul", ["x", "q", "s", "", "b"], ["y"],
                               name="mm", domain="com.microsoft")],
        initializers=[onnx_proto.tensor("q", np.array([[-127, 0, 5]], dtype=np.int8))],
        inputs=[onnx_proto.value_info("x", onnx_proto.FLOAT, ["n", 1])],
        outputs=[onnx_proto.value_info("y", onnx_proto.FLOAT, ["n", 3])],
        graph_name="g", doc="", opset=17, ir_version=8, producer_name="sktag",
        producer_version="0", metadata={}, output_widths={"y": 3},
        domains={"com.microsoft": 1},
    )
    parsed = onnx.load_from_string(model.SerializeToString())
    assert [(o.domain, o.version) for o in parsed.opset_import] == [("", 17), ("com.microsoft", 1)]
    (node,) = parsed.graph.node
    assert node.domain == "com.microsoft" and list(node.input) == ["x", "q", "s", "", "b"]
    assert not node.attribute
    (q,) = (numpy_helper.to_array(t) for t in parsed.graph.initializer)
    assert q.dtype == np.int8 and q.tolist() == [[-127, 0, 5]]
