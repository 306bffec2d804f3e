"""The load-time graph rewrite keeps what a model computes."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from proctor.models.onnx_graph import (
    _dequantise,
    optimise_weight_only_quantised,
    quiet_session_options,
)

RNG = np.random.default_rng(7)


def quantised_conv_prelu(scale_shape, block_size, slopes) -> bytes:
    """input (1,4,6,6) -> Conv with int8 weights (DequantizeLinear) -> PRelu(slopes)."""
    weights_q = RNG.integers(-100, 100, (3, 4, 3, 3), dtype=np.int8)
    scale = RNG.uniform(0.001, 0.02, scale_shape).astype(np.float32)
    zero = np.zeros(scale_shape, np.int8)
    dq_attrs = {"axis": 1, "block_size": block_size} if block_size else {"axis": 0}
    inits = [
        numpy_helper.from_array(weights_q, "w_q"),
        numpy_helper.from_array(scale, "w_scale"),
        numpy_helper.from_array(zero, "w_zero"),
        numpy_helper.from_array(np.asarray(slopes, np.float32).reshape(3, 1, 1), "slope"),
    ]
    nodes = [
        helper.make_node("DequantizeLinear", ["w_q", "w_scale", "w_zero"], ["w"], **dq_attrs),
        helper.make_node("Conv", ["input", "w"], ["conv"], pads=[1, 1, 1, 1]),
        helper.make_node("PRelu", ["conv", "slope"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 4, 6, 6])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, None)],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    model.ir_version = 10
    return model.SerializeToString()


def run(model: bytes, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(
        model, quiet_session_options(1), providers=["CPUExecutionProvider"]
    )
    return session.run(None, {"input": x})[0]


@pytest.mark.parametrize(
    ("scale_shape", "block_size"),
    [
        ((3, 2, 3, 3), 2),  # blocked along axis 1
        ((3,), 0),  # per output channel
    ],
)
def test_rewrite_matches_the_original(scale_shape, block_size):
    original = quantised_conv_prelu(scale_shape, block_size, slopes=[-0.8, 0.25, 1.12])
    rewritten = optimise_weight_only_quantised(original, "input")
    x = RNG.normal(0, 50, (1, 4, 6, 6)).astype(np.float32)
    np.testing.assert_allclose(run(rewritten, x), run(original, x), rtol=1e-5, atol=1e-4)
    graph = onnx.load_from_string(rewritten).graph
    ops = [n.op_type for n in graph.node]
    assert "DequantizeLinear" not in ops and "PRelu" not in ops
    assert [i.name for i in graph.input] == ["input"]


def test_per_tensor_scale_with_a_block_size_is_dequantised():
    # YuNet's file has such nodes; onnxruntime itself refuses to run them.
    weights_q = numpy_helper.from_array(np.array([[2, -4], [6, 8]], np.int8), "q")
    node = helper.make_node("DequantizeLinear", ["q", "s", "z"], ["w"], axis=1, block_size=9)
    out = _dequantise(
        node,
        {
            "q": weights_q,
            "s": numpy_helper.from_array(np.array(0.5, np.float32), "s"),
            "z": numpy_helper.from_array(np.array(2, np.int8), "z"),
        },
    )
    np.testing.assert_array_equal(out, [[0.0, -3.0], [2.0, 3.0]])
