using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>Every supported operator form in a one- or two-node model, against ONNX Runtime.</summary>
public sealed class OperatorOracleTests
{
    private static void Check(OnnxGraphBuilder b, string output, int[] inputShape, double tolerance = 1e-5)
    {
        b.Output(output);
        EngineRunner.AssertMatchesOrt(b.ToBytes(), inputShape, seed: 9, tolerance);
    }

    [Theory]
    [InlineData(new[] { 1, 1 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, new[] { 1, 1 }, 1, null)]
    [InlineData(new[] { 2, 3 }, new[] { 2, 1 }, new[] { 1, 0, 2, 1 }, new[] { 1, 1 }, 1, null)]
    [InlineData(new[] { 3, 3 }, new[] { 1, 1 }, new[] { 2, 2, 2, 2 }, new[] { 2, 2 }, 1, null)]
    [InlineData(new[] { 3, 3 }, new[] { 2, 2 }, new[] { 0, 0, 0, 0 }, new[] { 1, 1 }, 2, "SAME_UPPER")]
    [InlineData(new[] { 3, 3 }, new[] { 2, 2 }, new[] { 0, 0, 0, 0 }, new[] { 1, 1 }, 1, "SAME_LOWER")]
    [InlineData(new[] { 5, 5 }, new[] { 3, 3 }, new[] { 0, 0, 0, 0 }, new[] { 1, 1 }, 1, "VALID")]
    public void ConvAttributes(int[] kernel, int[] strides, int[] pads, int[] dilations, int group, string? autoPad)
    {
        var b = new OnnxGraphBuilder(seed: 4);
        var x = b.Input("x", [2, 4, 13, 10]);
        Check(b, b.Conv(x, 6, kernel, strides, pads, dilations, group, bias: true, autoPad), [2, 4, 13, 10]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DepthwiseConvWithFusedClip(int stride)
    {
        var b = new OnnxGraphBuilder(seed: 5, opset: 13);
        var x = b.Input("x", [1, 8, 15, 15]);
        var conv = b.Conv(x, 8, 3, stride: stride, pad: 1, group: 8);
        var min = b.Initializer("min", [], [0f]);
        var max = b.Initializer("max", [], [0.5f]);
        var clip = b.Node("Clip", "relu6", [conv, min, max], b.ShapeOf(conv));
        b.Output(clip);
        var model = b.ToBytes();
        Assert.Equal("Conv+Clip", Assert.Single(OnnxModel.Load(model).Layers).OpType);
        EngineRunner.AssertMatchesOrt(model, [1, 8, 15, 15], tolerance: 1e-5);
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    [InlineData("HardSwish")]
    public void UnaryActivations(string opType)
    {
        var b = new OnnxGraphBuilder(opset: 14);
        var x = b.Input("x", [2, 3, 5, 7]);
        Check(b, b.Elementwise(opType, x), [2, 3, 5, 7]);
    }

    [Fact]
    public void LeakyReluWithSlope()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [1, 37]);
        Check(b, b.Elementwise("LeakyRelu", x, Float("alpha", 0.2f)), [1, 37]);
    }

    [Fact]
    public void HardSigmoidWithParameters()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [1, 3, 17]);
        Check(b, b.Elementwise("HardSigmoid", x, Float("alpha", 0.3f), Float("beta", 0.4f)), [1, 3, 17]);
    }

    [Fact]
    public void ClipAttributeFormBeforeOpset11()
    {
        var b = new OnnxGraphBuilder(opset: 10);
        var x = b.Input("x", [1, 33]);
        Check(b, b.Elementwise("Clip", x, Float("min", -0.25f), Float("max", 0.5f)), [1, 33]);
    }

    [Fact]
    public void StandaloneBatchNormalizationAfterAnAdd()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [2, 5, 3, 3]);
        Check(b, b.BatchNorm(b.Add(x, x)), [2, 5, 3, 3]);
    }

    [Theory]
    [InlineData("MaxPool", 3, 2, 1, false, false)]
    [InlineData("MaxPool", 3, 2, 0, true, false)]
    [InlineData("AveragePool", 3, 2, 1, false, false)]
    [InlineData("AveragePool", 3, 2, 1, false, true)]
    [InlineData("AveragePool", 3, 2, 1, true, true)]
    [InlineData("AveragePool", 2, 2, 0, true, false)]
    public void Pools(string opType, int kernel, int stride, int pad, bool ceil, bool countIncludePad)
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [2, 3, 10, 9]);
        var y = opType == "MaxPool" ? b.MaxPool(x, kernel, stride, pad, ceil) : b.AveragePool(x, kernel, stride, pad, ceil, countIncludePad);
        Check(b, y, [2, 3, 10, 9]);
    }

    [Theory]
    [InlineData("MaxPool")]
    [InlineData("AveragePool")]
    public void CeilModeDropsAWindowThatWouldStartInThePadding(string opType)
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [1, 2, 5, 5]);
        var y = b.Node(opType, "pool", [x], [1, 2, 2, 2], Ints("kernel_shape", 2, 2), Ints("strides", 3, 3), Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1));
        Check(b, y, [1, 2, 5, 5]);
        Assert.Equal([1, 2, 2, 2], OnnxModel.Load(b.ToBytes()).Layers[0].OutputShape);
    }

    [Fact]
    public void MaxPoolWithDilationAndAsymmetricPads()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [1, 2, 11, 11]);
        var y = b.Node("MaxPool", "pool", [x], [1, 2, 5, 6], Ints("kernel_shape", 3, 2), Ints("strides", 2, 2), Ints("dilations", 2, 2), Ints("pads", 1, 0, 0, 1));
        Check(b, y, [1, 2, 11, 11]);
    }

    [Theory]
    [InlineData("GlobalAveragePool")]
    [InlineData("GlobalMaxPool")]
    public void GlobalPools(string opType)
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [2, 3, 7, 5]);
        Check(b, b.Node(opType, "pool", [x], [2, 3, 1, 1]), [2, 3, 7, 5]);
    }

    [Fact]
    public void LocalResponseNormalization()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [1, 7, 4, 3]);
        Check(b, b.Lrn(x, 3, alpha: 0.01f, beta: 0.6f, bias: 2f), [1, 7, 4, 3]);
    }

    [Theory]
    [InlineData("Add", new[] { 2, 3, 4, 5 }, new[] { 3, 1, 1 })]
    [InlineData("Sub", new[] { 2, 3, 4, 5 }, new[] { 5 })]
    [InlineData("Mul", new[] { 2, 3, 4, 5 }, new[] { 2, 1, 4, 1 })]
    [InlineData("Div", new[] { 2, 3, 4, 5 }, new[] { 1 })]
    [InlineData("Add", new[] { 2, 3, 4, 5 }, new[] { 2, 3, 4, 5 })]
    public void BroadcastingBinaryWithAConstant(string opType, int[] shape, int[] constantShape)
    {
        var b = new OnnxGraphBuilder(seed: 8);
        var x = b.Input("x", shape);
        var count = constantShape.Aggregate(1, (p, d) => p * d);
        var c = b.Initializer("c", constantShape, b.RandomValues(count, 1f).Select(v => v + 2f).ToArray());
        Check(b, b.Node(opType, "op", [c, x], shape), shape);
    }

    [Fact]
    public void SumOfThree()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [2, 3, 4]);
        var c = b.Initializer("c", [3, 1], [1f, 2f, 3f]);
        var r = b.Relu(x);
        Check(b, b.Node("Sum", "sum", [x, r, c], [2, 3, 4]), [2, 3, 4]);
    }

    [Theory]
    [InlineData(false, false, 1f, 1f)]
    [InlineData(true, false, 0.5f, 2f)]
    [InlineData(true, true, 1f, 0f)]
    public void GemmVariants(bool transA, bool transB, float alpha, float beta)
    {
        var b = new OnnxGraphBuilder(seed: 12);
        int[] xShape = transA ? [7, 3] : [3, 7];
        var x = b.Input("x", xShape);
        int[] wShape = transB ? [5, 7] : [7, 5];
        var w = b.Initializer("w", wShape, b.RandomValues(35, 1f));
        var c = b.Initializer("c", [5], b.RandomValues(5, 1f));
        var y = b.Node("Gemm", "gemm", [x, w, c], [3, 5], Int("transA", transA ? 1 : 0), Int("transB", transB ? 1 : 0), Float("alpha", alpha), Float("beta", beta));
        Check(b, y, xShape);
    }

    [Fact]
    public void MatMulBatchedAgainstSharedMatrix()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [2, 3, 4, 6]);
        var w = b.Initializer("w", [6, 5], b.RandomValues(30, 1f));
        Check(b, b.Node("MatMul", "mm", [x, w], [2, 3, 4, 5]), [2, 3, 4, 6]);
    }

    [Theory]
    [InlineData(11, 1)]
    [InlineData(13, 1)]
    [InlineData(13, -1)]
    public void SoftmaxSemanticsFollowTheOpset(int opset, int axis)
    {
        var b = new OnnxGraphBuilder(opset: opset);
        var x = b.Input("x", [2, 3, 4]);
        Check(b, b.Softmax(x, axis), [2, 3, 4]);
    }

    [Fact]
    public void ConcatSplitTranspose()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 6, 3, 2]);
        var sizes = b.IntegerInitializer("sizes", [1, 2, 3]);
        var parts = b.MultiOutputNode("Split", "split", [x, sizes], [[2, 1, 3, 2], [2, 2, 3, 2], [2, 3, 3, 2]], Int("axis", 1));
        var joined = b.Concat(1, parts[2], parts[0]);
        Check(b, b.Node("Transpose", "t", [joined], [3, 2, 4, 2], Ints("perm", 2, 0, 1, 3)), [2, 6, 3, 2]);
    }

    [Fact]
    public void SplitAttributeFormBeforeOpset13()
    {
        var b = new OnnxGraphBuilder(opset: 11);
        var x = b.Input("x", [1, 5, 2]);
        var parts = b.MultiOutputNode("Split", "split", [x], [[1, 2, 2], [1, 3, 2]], Int("axis", 1), Ints("split", 2, 3));
        Check(b, b.Add(parts[0], parts[0]), [1, 5, 2]);
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("reflect")]
    [InlineData("edge")]
    public void PadModes(string mode)
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 2, 4, 5]);
        var pads = b.IntegerInitializer("pads", [0, 0, 1, 2, 0, 0, 3, 1]);
        var value = b.Initializer("value", [], [0.5f]);
        Check(b, b.Node("Pad", "pad", [x, pads, value], [1, 2, 8, 8], String("mode", mode)), [1, 2, 4, 5]);
    }

    [Fact]
    public void ReshapeTargetComputedFromShapeGatherUnsqueezeConcat()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 3, 4, 5]);
        var shape = b.Node("Shape", "shape", [x], [4]);
        var zero = b.IntegerInitializer("zero", [0]);
        var batch = b.Node("Gather", "gather", [shape, zero], [1], Int("axis", 0));
        var minusOne = b.IntegerInitializer("minus_one", [-1]);
        var target = b.Node("Concat", "target", [batch, minusOne], [2], Int("axis", 0));
        var flat = b.Node("Reshape", "reshape", [x, target], [2, 60]);
        var axes = b.IntegerInitializer("axes", [1]);
        var unsqueezed = b.Node("Unsqueeze", "unsqueeze", [flat, axes], [2, 1, 60]);
        var squeezed = b.Node("Squeeze", "squeeze", [unsqueezed, axes], [2, 60]);
        var model = b;
        Check(model, b.Relu(squeezed), [2, 3, 4, 5]);
    }

    [Fact]
    public void ConstantNodesFeedAReshapeTargetAndAnAdd()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 3, 4]);
        var targetTensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 };
        targetTensor.Dims.Add(2);
        targetTensor.Int64Data.AddRange([2, 12]);
        var target = b.Node("Constant", "target", [], [2], new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = targetTensor });
        var flat = b.Node("Reshape", "reshape", [x, target], [2, 12]);
        var offset = b.Node("Constant", "offset", [], [], Float("value_float", 0.25f));
        Check(b, b.Node("Add", "add", [flat, offset], [2, 12]), [2, 3, 4]);
    }

    [Fact]
    public void ClipInputFormStandalone()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 19]);
        var min = b.Initializer("min", [], [-0.3f]);
        Check(b, b.Node("Clip", "clip", [x, min], [1, 19]), [1, 19]);
    }

    [Fact]
    public void ReshapeWithZeroAndMinusOne()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 3, 4]);
        var target = b.IntegerInitializer("target", [0, -1, 2]);
        Check(b, b.Node("Reshape", "reshape", [x, target], [2, 6, 2]), [2, 3, 4]);
    }

    [Fact]
    public void UnsqueezeAttributeFormBeforeOpset13()
    {
        var b = new OnnxGraphBuilder(opset: 11);
        var x = b.Input("x", [3, 4]);
        var u = b.Node("Unsqueeze", "u", [x], [3, 1, 4], Ints("axes", 1));
        Check(b, b.Node("Squeeze", "s", [b.Relu(u)], [3, 4], Ints("axes", 1)), [3, 4]);
    }

    [Fact]
    public void InceptionBlock()
    {
        var b = new OnnxGraphBuilder(seed: 31);
        var x = b.Input("x", [1, 16, 9, 9]);
        Check(b, NetworkZoo.Inception(b, x, 8, 6, 10, 2, 4, 4), [1, 16, 9, 9], tolerance: 1e-4);
    }

    [Fact]
    public void ResidualBlockWithProjection()
    {
        var b = new OnnxGraphBuilder(seed: 32);
        var x = b.Input("x", [2, 8, 10, 10]);
        Check(b, NetworkZoo.Bottleneck(b, x, 4, 2), [2, 8, 10, 10], tolerance: 1e-4);
    }

    [Fact]
    public void ResidualAddAndReluFoldIntoTheConvolution()
    {
        var b = new OnnxGraphBuilder(seed: 33);
        var x = b.Input("x", [2, 40, 9, 11]);
        var shortcut = b.Conv(x, 48, 1, name: "shortcut");
        var main = b.Conv(b.Relu(b.Conv(x, 40, 3, pad: 1)), 48, 3, pad: 1, name: "main");
        b.Output(b.Relu(b.Node("Add", "add", [shortcut, main], b.ShapeOf(main)), "out"));
        var model = b.ToBytes();

        // The Add's first operand comes from the shortcut convolution, which now runs where the Add was.
        var layers = OnnxModel.Load(model).Layers;
        Assert.Equal("Conv+Add+Relu", layers[^1].OpType);
        Assert.Equal("shortcut", layers[^1].Name);
        Assert.Equal(["add", "out"], layers[^1].FusedNodeNames);
        EngineRunner.AssertMatchesOrt(model, [2, 40, 9, 11], tolerance: 1e-4);
    }

    [Fact]
    public void BroadcastAddAfterAConvolutionKeepsItsOwnStep()
    {
        var b = new OnnxGraphBuilder(seed: 34);
        var x = b.Input("x", [2, 8, 7, 7]);
        var perChannel = b.Node("GlobalAveragePool", "gap", [x], [2, 8, 1, 1]);
        var conv = b.Conv(x, 8, 3, pad: 1, name: "conv");
        Check(b, b.Relu(b.Node("Add", "add", [conv, perChannel], [2, 8, 7, 7])), [2, 8, 7, 7], tolerance: 1e-4);
    }
}
