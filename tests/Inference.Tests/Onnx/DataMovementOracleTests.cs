using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>
/// Data movement, comparisons, Where, Cast, MatMul and Gemm on runtime tensors against ONNX Runtime. Boolean results
/// are checked through a Where or a Cast to float, since the engine holds booleans as float 0 and 1.
/// </summary>
public sealed class DataMovementOracleTests
{
    [Theory]
    [InlineData(new long[] { 1, 0 }, new long[] { 3, 5 }, new long[] { 1, 3 }, new long[] { 1, 2 })]
    [InlineData(new long[] { -1, 4 }, new long[] { -100, 0 }, new long[] { 2, -1 }, new long[] { -1, -2 })]
    [InlineData(new long[] { 0 }, new long[] { long.MaxValue }, new long[] { -3 }, new long[] { 2 })]
    [InlineData(new long[] { 2, 1 }, new long[] { 2, 3 }, new long[] { 0, 3 }, new long[] { 1, 1 })]
    public void SliceWithStepsAndNegativeAxes(long[] starts, long[] ends, long[] axes, long[] steps)
    {
        int[] shape = [3, 4, 5, 6];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var inputs = new[] { x, b.IntegerInitializer("starts", starts), b.IntegerInitializer("ends", ends), b.IntegerInitializer("axes", axes), b.IntegerInitializer("steps", steps) };
        var y = b.Node("Slice", "slice", inputs, SliceShape(shape, starts, ends, axes, steps));
        Check(b, y, shape);
    }

    [Fact]
    public void SliceAttributeFormBeforeOpset10()
    {
        int[] shape = [2, 7, 5];
        var b = new OnnxGraphBuilder(opset: 9);
        var x = b.Input("x", shape);
        Check(b, b.Node("Slice", "slice", [x], [2, 4, 3], Ints("starts", 1, -4), Ints("ends", 5, 100), Ints("axes", 1, 2)), shape);
    }

    [Theory]
    [InlineData(0, new long[] { 1, -1, 0 }, new[] { 3 })]
    [InlineData(1, new long[] { 3, 0 }, new[] { 2 })]
    [InlineData(-1, new long[] { 2 }, new int[0])]
    [InlineData(2, new long[] { 0, -2, 1, 3 }, new[] { 2, 2 })]
    public void GatherOnAnyAxisWithNegativeIndices(int axis, long[] indices, int[] indexShape)
    {
        int[] shape = [3, 4, 5];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var tensor = new TensorProto { Name = "indices", DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(indexShape.Select(d => (long)d));
        tensor.Int64Data.AddRange(indices);
        var model = b;
        var resolved = axis < 0 ? axis + 3 : axis;
        int[] outShape = [.. shape[..resolved], .. indexShape, .. shape[(resolved + 1)..]];
        var y = b.Node("Gather", "gather", [x, "indices"], outShape, Int("axis", axis));
        b.Output(y);
        var proto = model.Build();
        proto.Graph.Initializer.Add(tensor);
        EngineRunner.AssertMatchesOrt(Google.Protobuf.MessageExtensions.ToByteArray(proto), shape, seed: 3, tolerance: 0);
    }

    [Theory]
    [InlineData(0, new[] { 2, 4, 5 })]
    [InlineData(1, new[] { 3, 2, 5 })]
    [InlineData(-1, new[] { 3, 4, 7 })]
    [InlineData(2, new[] { 1, 1, 2 })]
    public void GatherElementsPicksAlongTheAxisWithNegativeIndices(int axis, int[] indexShape)
    {
        int[] shape = [3, 4, 5];
        var resolved = axis < 0 ? axis + 3 : axis;
        var random = new Random(17 + axis);
        var indices = Enumerable.Range(0, indexShape.Aggregate(1, (p, d) => p * d))
            .Select(_ => (long)random.Next(-shape[resolved], shape[resolved]))
            .ToArray();
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var tensor = new TensorProto { Name = "indices", DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(indexShape.Select(d => (long)d));
        tensor.Int64Data.AddRange(indices);
        b.Output(b.Node("GatherElements", "gather", [x, "indices"], indexShape, Int("axis", axis)));
        var proto = b.Build();
        proto.Graph.Initializer.Add(tensor);
        EngineRunner.AssertMatchesOrt(Google.Protobuf.MessageExtensions.ToByteArray(proto), shape, seed: 5, tolerance: 0);
    }

    [Fact]
    public void GatherElementsWithAnIndexOutsideTheAxisIsRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 3]);
        var tensor = new TensorProto { Name = "indices", DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange([2L, 1L]);
        tensor.Int64Data.AddRange([0L, 3L]);
        b.Output(b.Node("GatherElements", "picks", [x, "indices"], [2, 1], Int("axis", 1)));
        var proto = b.Build();
        proto.Graph.Initializer.Add(tensor);
        var error = Assert.Throws<ConvService.Inference.Errors.ConvServiceException>(() => ConvService.Inference.Onnx.OnnxModel.Load(Google.Protobuf.MessageExtensions.ToByteArray(proto)));
        Assert.Contains("'picks'", error.Message);
        Assert.Contains("index 3 is outside axis 1", error.Message);
    }

    [Theory]
    [InlineData(new[] { 3, 1, 5 }, new long[] { 2, 3, 4, 5 }, new[] { 2, 3, 4, 5 })]
    [InlineData(new[] { 1, 4, 1 }, new long[] { 3, 1, 6 }, new[] { 3, 4, 6 })]
    [InlineData(new[] { 2, 3 }, new long[] { 1 }, new[] { 2, 3 })]
    public void Expand(int[] shape, long[] target, int[] outShape)
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        Check(b, b.Node("Expand", "expand", [x, b.IntegerInitializer("shape", target)], outShape), shape);
    }

    [Theory]
    [InlineData(new long[] { 2, 1, 3 })]
    [InlineData(new long[] { 1, 3, 1 })]
    [InlineData(new long[] { 1, 1, 1 })]
    public void Tile(long[] repeats)
    {
        int[] shape = [2, 3, 4];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        Check(b, b.Node("Tile", "tile", [x, b.IntegerInitializer("repeats", repeats)], shape.Select((d, i) => d * (int)repeats[i]).ToArray()), shape);
    }

    [Theory]
    [InlineData("DCR", 2)]
    [InlineData("CRD", 2)]
    [InlineData("DCR", 3)]
    public void DepthToSpaceAndBack(string mode, int block)
    {
        int[] shape = [2, 2 * block * block, 3, 4];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var d2s = b.Node("DepthToSpace", "d2s", [x], [2, 2, 3 * block, 4 * block], Int("blocksize", block), String("mode", mode));
        Check(b, d2s, shape);

        var b2 = new OnnxGraphBuilder(opset: 13);
        var x2 = b2.Input("x", [2, 3, 2 * block, 3 * block]);
        Check(b2, b2.Node("SpaceToDepth", "s2d", [x2], [2, 3 * block * block, 2, 3], Int("blocksize", block)), [2, 3, 2 * block, 3 * block]);
    }

    [Theory]
    [InlineData("Equal")]
    [InlineData("Less")]
    [InlineData("Greater")]
    [InlineData("LessOrEqual")]
    [InlineData("GreaterOrEqual")]
    public void ComparisonsFeedingWhere(string opType)
    {
        int[] shape = [2, 3, 4];
        var b = new OnnxGraphBuilder(opset: 16);
        var x = b.Input("x", shape);

        // Against the first column of each row, broadcast, so Equal finds matches; then against a per-channel constant.
        var firstColumn = b.Node("Slice", "first", [x, b.IntegerInitializer("starts", [0]), b.IntegerInitializer("ends", [1]), b.IntegerInitializer("axes", [2])], [2, 3, 1]);
        var condition = b.Node(opType, "compare", [x, firstColumn], shape);
        var threshold = b.Initializer("threshold", [3, 1], [-0.5f, 0f, 0.5f]);
        var second = b.Node(opType, "compare_constant", [threshold, x], shape);
        var other = b.Initializer("other", [4], [10f, 20f, 30f, 40f]);
        var inner = b.Node("Where", "inner", [second, x, other], shape);
        var picked = b.Node("Where", "where", [condition, inner, b.Initializer("minus", [], [-7f])], shape);
        Check(b, picked, shape);
    }

    [Theory]
    [InlineData("And")]
    [InlineData("Or")]
    [InlineData("Xor")]
    public void BooleanOperatorsThroughCast(string opType)
    {
        int[] shape = [3, 5];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var positive = b.Node("Greater", "positive", [x, b.Initializer("zero", [], [0f])], shape);
        var small = b.Node("Less", "small", [x, b.Initializer("half", [1, 5], [0.5f, 0.2f, -0.3f, 0.9f, 0f])], shape);
        var combined = b.Node(opType, "logic", [positive, small], shape);
        var negated = b.Node("Not", "not", [combined], shape);
        var asFloat = b.Node("Cast", "cast", [negated], shape, Int("to", 1));
        Check(b, b.Node("Add", "add", [asFloat, x], shape), shape);
    }

    [Fact]
    public void CastToAnotherTypeIsRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 2]);
        var cast = b.Node("Cast", "to_int", [x], [2, 2], Int("to", 7));
        b.Output(b.Node("Cast", "back", [cast], [2, 2], Int("to", 1)));
        var error = Assert.ThrowsAny<Exception>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("'to_int' (Cast)", error.ToString());
        Assert.Contains("only casts to float", error.ToString());
    }

    [Theory]
    [InlineData("constant", 18)]
    [InlineData("reflect", 18)]
    [InlineData("edge", 18)]
    [InlineData("constant", 7)]
    public void PadWithAxesOrAttributes(string mode, int opset)
    {
        int[] shape = [2, 3, 4, 5];
        var b = new OnnxGraphBuilder(opset: opset);
        var x = b.Input("x", shape);
        string y;
        if (opset >= 18)
        {
            var pads = b.IntegerInitializer("pads", [1, 2, 3, 1]);
            var axes = b.IntegerInitializer("axes", [-1, 1]);
            y = b.Node("Pad", "pad", [x, pads, b.Initializer("value", [], [1.5f]), axes], [2, 7, 4, 9], String("mode", mode));
        }
        else
        {
            y = b.Node("Pad", "pad", [x], [2, 3, 7, 6], String("mode", mode), Ints("pads", 0, 0, 1, 1, 0, 0, 2, 0), Float("value", -2f));
        }

        Check(b, y, shape);
    }

    [Fact]
    public void SplitIntoUnevenChunksWithNumOutputs()
    {
        int[] shape = [2, 7, 3];
        var b = new OnnxGraphBuilder(opset: 18);
        var x = b.Input("x", shape);
        var parts = b.MultiOutputNode("Split", "split", [x], [[2, 3, 3], [2, 3, 3], [2, 1, 3]], Int("axis", 1), Int("num_outputs", 3));
        var joined = b.Concat(1, parts[2], parts[0], parts[1]);
        Check(b, joined, shape);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 5, 6 }, new[] { 2, 3, 4, 6 })]
    [InlineData(new[] { 2, 1, 4, 5 }, new[] { 3, 5, 2 }, new[] { 2, 3, 4, 2 })]
    [InlineData(new[] { 5 }, new[] { 2, 5, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 3, 4, 5 }, new[] { 5 }, new[] { 3, 4 })]
    [InlineData(new[] { 4, 5 }, new[] { 2, 2, 5, 3 }, new[] { 2, 2, 4, 3 })]
    public void MatMulBroadcastsBatchesAndVectors(int[] shape, int[] weightShape, int[] outShape)
    {
        var b = new OnnxGraphBuilder(seed: 14, opset: 13);
        var x = b.Input("x", shape);
        var w = b.Initializer("w", weightShape, b.RandomValues(weightShape.Aggregate(1, (p, d) => p * d), 1f));
        Check(b, b.Node("MatMul", "mm", [x, w], outShape), shape, tolerance: 1e-5);
    }

    [Fact]
    public void MatMulOfTwoRuntimeTensors()
    {
        int[] shape = [2, 3, 4];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var t = b.Node("Transpose", "t", [x], [2, 4, 3], Ints("perm", 0, 2, 1));
        Check(b, b.Node("MatMul", "mm", [x, t], [2, 3, 3]), shape, tolerance: 1e-5);
    }

    [Theory]
    [InlineData(new[] { 1, 5 })]
    [InlineData(new[] { 3, 1 })]
    [InlineData(new int[0])]
    public void GemmBroadcastsC(int[] cShape)
    {
        var b = new OnnxGraphBuilder(seed: 15, opset: 13);
        var x = b.Input("x", [6, 3]);
        var w = b.Initializer("w", [6, 5], b.RandomValues(30, 1f));
        var c = b.Initializer("c", cShape, b.RandomValues(Math.Max(1, cShape.Aggregate(1, (p, d) => p * d)), 1f));
        Check(b, b.Node("Gemm", "gemm", [x, w, c], [3, 5], Int("transA", 1), Float("alpha", 0.7f), Float("beta", -1.5f)), [6, 3], tolerance: 1e-5);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(2)]
    public void FlattenAtAnyAxis(int axis)
    {
        int[] shape = [2, 3, 4];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var resolved = axis < 0 ? axis + 3 : axis;
        var outer = shape[..resolved].Aggregate(1, (p, d) => p * d);
        Check(b, b.Relu(b.Node("Flatten", "flatten", [x], [outer, 24 / outer], Int("axis", axis))), shape);
    }

    [Fact]
    public void ReshapeWithAllowZeroKeepsAZeroDimension()
    {
        int[] shape = [2, 3, 4];
        var b = new OnnxGraphBuilder(opset: 14);
        var x = b.Input("x", shape);
        var target = b.IntegerInitializer("target", [4, 0, -1]);
        var y = b.Node("Reshape", "reshape", [x, target], [4, 2, 3], Int("allowzero", 0));
        Check(b, b.Relu(y), shape);
    }

    private static int[] SliceShape(int[] shape, long[] starts, long[] ends, long[] axes, long[] steps)
    {
        var result = (int[])shape.Clone();
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = (int)(axes[i] < 0 ? axes[i] + shape.Length : axes[i]);
            long dim = shape[axis], step = steps[i];
            var start = starts[i] < 0 ? starts[i] + dim : starts[i];
            var end = ends[i] < 0 ? ends[i] + dim : ends[i];
            start = step > 0 ? Math.Clamp(start, 0, dim) : Math.Clamp(start, 0, dim - 1);
            end = step > 0 ? Math.Clamp(end, 0, dim) : Math.Clamp(end, -1, dim - 1);
            result[axis] = (int)Math.Max(0, step > 0 ? (end - start + step - 1) / step : (start - end - step - 1) / -step);
        }

        return result;
    }

    private static void Check(OnnxGraphBuilder b, string output, int[] inputShape, double tolerance = 0)
    {
        b.Output(output);
        EngineRunner.AssertMatchesOrt(b.ToBytes(), inputShape, seed: 3, tolerance);
    }
}
