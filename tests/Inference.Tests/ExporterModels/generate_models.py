#!/usr/bin/env python3
"""Writes the exporter-shaped test models next to this script, with seeded random weights.

Run from anywhere with Debian's python3-onnx (ONNX 1.12):  /usr/bin/python3 generate_models.py
The .onnx files are checked in; ExporterModelTests compares the engine with ONNX Runtime on them.

- mobilenetv2_dynamic.onnx: a MobileNetV2-style network (inverted residuals, depthwise convolutions,
  BatchNormalization, Clip(0, 6)) at opset 13 with symbolic batch, height and width, ending in the
  Shape -> Gather -> Unsqueeze -> Concat -> Reshape head torch.onnx writes for x.view(x.size(0), -1),
  plus the Shape -> Cast -> Slice -> Cast chain tf2onnx writes.
- opset9_cnn.onnx: a small CNN at opset 9 with symbolic height and width (BatchNormalization-9, Clip and Dropout with attributes,
  Unsqueeze/Squeeze with axes attributes, Reshape with a shape input, Softmax's 2-D semantics).
- opset6_cnn.onnx: symbolic height and width, and the forms of opset 6 (BatchNormalization with spatial and is_test,
  Add and Mul with broadcast and axis, Sum, Dropout with is_test, Gemm with broadcast),
  and opset6_cnn_as_opset11.onnx, the same network and weights written with opset 11's forms, which ONNX
  Runtime (opset 7 and later) runs as the reference. (ONNX 1.12's version converter unsqueezes a legacy
  per-channel operand to [C, 1, 1, 1], so it cannot make the reference.)
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261201)


class Graph:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}_{self.count}"

    def const(self, prefix, array):
        n = self.name(prefix)
        self.inits.append(numpy_helper.from_array(array, n))
        return n

    def node(self, op, inputs, prefix=None, outputs=1, **attrs):
        n = self.name(prefix or op.lower())
        outs = [n] if outputs == 1 else [f"{n}_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=n, **attrs))
        return outs[0] if outputs == 1 else outs

    def weights(self, shape):
        fan_in = int(np.prod(shape[1:]))
        return (rng.uniform(-1, 1, shape) * np.sqrt(6 / fan_in)).astype(np.float32)

    def conv(self, x, cin, cout, k, stride=1, group=1, bias=False):
        w = self.const("w", self.weights((cout, cin // group, k, k)))
        inputs = [x, w] + ([self.const("b", (rng.uniform(-0.1, 0.1, cout)).astype(np.float32))] if bias else [])
        return self.node("Conv", inputs, kernel_shape=[k, k], strides=[stride, stride], pads=[k // 2] * 4, group=group)

    def bn(self, x, c, **attrs):
        scale = self.const("scale", rng.uniform(0.5, 1.5, c).astype(np.float32))
        shift = self.const("shift", rng.uniform(-0.1, 0.1, c).astype(np.float32))
        mean = self.const("mean", rng.uniform(-0.1, 0.1, c).astype(np.float32))
        var = self.const("var", rng.uniform(0.5, 1.5, c).astype(np.float32))
        return self.node("BatchNormalization", [x, scale, shift, mean, var], epsilon=1e-5, **attrs)

    def save(self, path, inputs, outputs, opset, ir_version=8):
        if ir_version < 4:
            # Before IR 4 every initializer is also declared as a graph input.
            inputs = inputs + [helper.make_tensor_value_info(i.name, i.data_type, list(i.dims)) for i in self.inits]
        graph = helper.make_graph(self.nodes, "model", inputs, outputs, self.inits)
        model = helper.make_model(graph, producer_name="ConvService tests", opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = ir_version
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(HERE, path))
        return model


def relu6(g, x):
    low = g.const("min", np.array(0, np.float32))
    high = g.const("max", np.array(6, np.float32))
    return g.node("Clip", [x, low, high])


def mobilenetv2():
    g = Graph()
    x = relu6(g, g.bn(g.conv("image", 3, 8, 3, stride=2), 8))
    channels = 8
    for expand, cout, stride in [(1, 8, 1), (4, 12, 2), (4, 12, 1), (4, 16, 2), (4, 16, 1)]:
        hidden = channels * expand
        y = x
        if expand != 1:
            y = relu6(g, g.bn(g.conv(y, channels, hidden, 1), hidden))
        y = relu6(g, g.bn(g.conv(y, hidden, hidden, 3, stride=stride, group=hidden), hidden))
        y = g.bn(g.conv(y, hidden, cout, 1), cout)
        x = g.node("Add", [x, y]) if stride == 1 and cout == channels else y
        channels = cout
    x = relu6(g, g.bn(g.conv(x, channels, 32, 1), 32))
    x = g.node("GlobalAveragePool", [x])

    # torch.onnx's x.view(x.size(0), -1)
    shape = g.node("Shape", [x])
    batch = g.node("Gather", [shape, g.const("zero", np.array(0, np.int64))], axis=0)
    batch = g.node("Unsqueeze", [batch, g.const("axes", np.array([0], np.int64))])
    target = g.node("Concat", [batch, g.const("minus_one", np.array([-1], np.int64))], axis=0)
    x = g.node("Reshape", [x, target])

    # tf2onnx's int32 round trip: Shape -> Cast(int32) -> Slice -> Cast(int64) as another Reshape target
    shape2 = g.node("Shape", [x])
    as_int32 = g.node("Cast", [shape2], to=TensorProto.INT32)
    tail = g.node("Slice", [as_int32, g.const("starts", np.array([1], np.int64)), g.const("ends", np.array([2], np.int64))])
    tail = g.node("Cast", [tail], to=TensorProto.INT64)
    head = g.node("Slice", [shape2, g.const("starts", np.array([0], np.int64)), g.const("ends", np.array([1], np.int64))])
    x = g.node("Reshape", [x, g.node("Concat", [head, tail], axis=0)])

    w = g.const("fc_w", g.weights((10, 32)))
    b = g.const("fc_b", rng.uniform(-0.1, 0.1, 10).astype(np.float32))
    logits = g.node("Gemm", [x, w, b], transB=1)
    g.nodes[-1].output[0] = "logits"
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, "height", "width"])
    out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 10])
    g.save("mobilenetv2_dynamic.onnx", [image], [out], 13)


def opset9():
    g = Graph()
    x = g.node("Conv", ["image", g.const("w", g.weights((8, 3, 3, 3))), g.const("b", np.zeros(8, np.float32))], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    x = g.bn(x, 8)
    x = g.node("Clip", [x], min=0.0, max=6.0)
    x = g.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = g.node("Dropout", [x], ratio=0.3)
    x = g.node("Conv", [x, g.const("w", g.weights((12, 8, 3, 3)))], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    x = g.node("Relu", [x])
    x = g.node("GlobalAveragePool", [x])
    x = g.node("Squeeze", [x], axes=[2, 3])
    x = g.node("Unsqueeze", [x], axes=[2])
    x = g.node("Reshape", [x, g.const("shape", np.array([2, -1], np.int64))])
    x = g.node("Gemm", [x, g.const("fc_w", g.weights((12, 5))), g.const("fc_b", np.full(5, 0.1, np.float32))])
    x = g.node("Softmax", [x], axis=1)
    g.nodes[-1].output[0] = "probabilities"
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [2, 3, "height", "width"])
    out = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [2, 5])
    g.save("opset9_cnn.onnx", [image], [out], 9, ir_version=4)


def opset6(modern):
    """The opset-6 forms, or (modern) the same network and weights as ONNX Runtime can run them at opset 11."""
    global rng
    rng = np.random.default_rng(6)
    legacy = {} if modern else {"broadcast": 1, "axis": 1}
    per_channel = (lambda v: v.reshape(6, 1, 1)) if modern else (lambda v: v)
    g = Graph()
    x = g.node("Conv", ["image", g.const("w", g.weights((6, 3, 3, 3)))], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    x = g.node("Add", [x, g.const("bias", per_channel(rng.uniform(-0.2, 0.2, 6).astype(np.float32)))], **legacy)
    x = g.bn(x, 6, **({} if modern else {"spatial": 1, "is_test": 1}))
    x = g.node("Relu", [x])
    x = g.node("AveragePool", [x], kernel_shape=[2, 2], strides=[2, 2])
    y = g.node("Conv", [x, g.const("w", g.weights((6, 6, 1, 1)))], kernel_shape=[1, 1])
    x = g.node("Sum", [x, y])
    x = g.node("Mul", [x, g.const("gain", per_channel(rng.uniform(0.5, 1.5, 6).astype(np.float32)))], **legacy)
    x = g.node("Dropout", [x], **({} if modern else {"is_test": 1, "ratio": 0.5}))
    x = g.node("GlobalAveragePool", [x])
    x = g.node("Reshape", [x, g.const("shape", np.array([1, 6], np.int64))])
    x = g.node("Gemm", [x, g.const("fc_w", g.weights((4, 6))), g.const("fc_b", np.full(4, 0.05, np.float32))], transB=1, **({} if modern else {"broadcast": 1}))
    x = g.node("Softmax", [x])
    g.nodes[-1].output[0] = "probabilities"
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "height", "width"])
    out = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [1, 4])
    if modern:
        g.save("opset6_cnn_as_opset11.onnx", [image], [out], 11, ir_version=6)
    else:
        g.save("opset6_cnn.onnx", [image], [out], 6, ir_version=3)


if __name__ == "__main__":
    mobilenetv2()
    opset9()
    opset6(modern=False)
    opset6(modern=True)
