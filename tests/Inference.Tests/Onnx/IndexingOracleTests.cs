using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>
/// GatherND, ScatterND, ScatterElements, Scatter, OneHot, Compress, MaxUnpool, ReverseSequence and Det against ONNX Runtime, on random data with
/// random indices (negative ones included) and axes counted from either end; the same graphs with constant data
/// check the folded result.
/// </summary>
public sealed class IndexingOracleTests
{
    [Theory]
    [InlineData(new[] { 3, 4, 5 }, new[] { 2, 1 }, 0)]
    [InlineData(new[] { 3, 4, 5 }, new[] { 2, 3, 2 }, 0)]
    [InlineData(new[] { 3, 4, 5 }, new[] { 4, 3 }, 0)]
    [InlineData(new[] { 3, 4, 5 }, new[] { 3, 2, 1 }, 1)]
    [InlineData(new[] { 3, 4, 5 }, new[] { 3, 2, 2 }, 1)]
    [InlineData(new[] { 3, 4, 5 }, new[] { 3, 4, 1 }, 2)]
    public void GatherNDWithBatchDims(int[] shape, int[] indexShape, int batchDims)
    {
        var k = indexShape[^1];
        var random = new Random(31 + k + batchDims);
        var indices = new long[Count(indexShape)];
        for (var i = 0; i < indices.Length; i++)
        {
            var size = shape[batchDims + (i % k)];
            indices[i] = random.Next(-size, size);
        }

        int[] outShape = [.. indexShape[..^1], .. shape[(batchDims + k)..]];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var y = b.Node("GatherND", "gather", [x, b.IntegerInitializer("indices", indexShape, indices)], outShape, Int("batch_dims", batchDims));
        Check(b, y, shape);
    }

    [Theory]
    [InlineData(new[] { 2, 1 }, "none")]
    [InlineData(new[] { 3, 2 }, "add")]
    [InlineData(new[] { 2, 2, 3 }, "mul")]
    [InlineData(new[] { 4, 1 }, "max")]
    [InlineData(new[] { 3, 2 }, "min")]
    public void ScatterNDWithEveryReduction(int[] indexShape, string reduction)
    {
        int[] shape = [4, 5, 6];
        var k = indexShape[^1];
        var tuples = Count(indexShape[..^1]);

        // Distinct tuples for none (ONNX leaves repeats undefined there); repeats for the reductions, which combine them.
        var random = new Random(41 + tuples);
        var picks = reduction == "none"
            ? Enumerable.Range(0, Count(shape[..k])).OrderBy(_ => random.Next()).Take(tuples).ToArray()
            : Enumerable.Range(0, tuples).Select(_ => random.Next(Count(shape[..k]) / 2)).ToArray();
        var indices = new long[tuples * k];
        for (var t = 0; t < tuples; t++)
        {
            var rest = picks[t];
            for (var j = k - 1; j >= 0; j--)
            {
                var coordinate = rest % shape[j];
                rest /= shape[j];
                indices[(t * k) + j] = random.Next(2) == 0 ? coordinate : coordinate - shape[j];
            }
        }

        int[] updateShape = [.. indexShape[..^1], .. shape[k..]];
        var b = new OnnxGraphBuilder(seed: 5, opset: 18);
        var x = b.Input("x", shape);
        var updates = b.Initializer("updates", updateShape, b.RandomValues(Count(updateShape), 2f));
        var y = b.Node("ScatterND", "scatter", [x, b.IntegerInitializer("indices", indexShape, indices), updates], shape, String("reduction", reduction));
        Check(b, y, shape, tolerance: 1e-6);
    }

    [Theory]
    [InlineData(0, new[] { 2, 4, 5 }, "none", 18)]
    [InlineData(1, new[] { 3, 3, 5 }, "add", 18)]
    [InlineData(-1, new[] { 3, 4, 4 }, "mul", 18)]
    [InlineData(-2, new[] { 2, 4, 3 }, "max", 18)]
    [InlineData(2, new[] { 1, 2, 5 }, "min", 18)]
    [InlineData(1, new[] { 3, 2, 5 }, "none", 11)]
    [InlineData(-3, new[] { 2, 4, 5 }, "add", 16)]
    public void ScatterElementsOnAnyAxis(int axis, int[] indexShape, string reduction, int opset)
    {
        int[] shape = [3, 4, 5];
        var indices = ElementIndices(shape, indexShape, axis, distinct: reduction == "none", seed: 51 + axis);
        var b = new OnnxGraphBuilder(seed: 6, opset: opset);
        var x = b.Input("x", shape);
        var updates = b.Initializer("updates", indexShape, b.RandomValues(Count(indexShape), 2f));
        AttributeProto[] attributes = opset >= 16 ? [Int("axis", axis), String("reduction", reduction)] : [Int("axis", axis)];
        var y = b.Node("ScatterElements", "scatter", [x, b.IntegerInitializer("indices", indexShape, indices), updates], shape, attributes);
        Check(b, y, shape, tolerance: 1e-6);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    public void ScatterIsScatterElementsUnderItsOldName(int opset)
    {
        int[] shape = [3, 4, 5];
        int[] indexShape = [3, 2, 5];
        var indices = ElementIndices(shape, indexShape, 1, distinct: true, seed: 61);
        var b = new OnnxGraphBuilder(seed: 7, opset: opset);
        var x = b.Input("x", shape);
        var updates = b.Initializer("updates", indexShape, b.RandomValues(Count(indexShape), 2f));
        var y = b.Node("Scatter", "scatter", [x, b.IntegerInitializer("indices", indexShape, indices), updates], shape, Int("axis", 1));
        Check(b, y, shape, tolerance: 0);
    }

    [Fact]
    public void ScatterNDWithRuntimeUpdatesIntoConstantData()
    {
        int[] shape = [2, 2, 5];
        var b = new OnnxGraphBuilder(seed: 8, opset: 16);
        var updates = b.Input("updates", shape);
        var data = b.Initializer("data", [3, 2, 5], b.RandomValues(30, 1f));
        var y = b.Node("ScatterND", "scatter", [data, b.IntegerInitializer("indices", [2, 1], [-1, 0]), updates], [3, 2, 5], String("reduction", "add"));
        Check(b, y, shape, tolerance: 1e-6);
    }

    [Theory]
    [InlineData(-1, 9)]
    [InlineData(0, 11)]
    [InlineData(1, 11)]
    [InlineData(-3, 11)]
    public void OneHotOnRuntimeIndices(int axis, int opset)
    {
        int[] shape = [3, 4];
        const int depth = 5;
        var random = new Random(71 + axis);

        // Integers in [-depth, depth) and a few outside, which leave their line off.
        var input = Enumerable.Range(0, 12).Select(_ => (float)random.Next(-depth - 1, depth + 2)).ToArray();
        var resolved = axis < 0 ? axis + 3 : axis;
        int[] outShape = [.. shape[..resolved], depth, .. shape[resolved..]];
        var b = new OnnxGraphBuilder(opset: opset);
        var x = b.Input("x", shape);
        var y = b.Node("OneHot", "onehot", [x, b.Initializer("depth", [], [depth]), b.Initializer("values", [2], [-0.5f, 3f])], outShape, Int("axis", axis));
        b.Output(y);
        var model = b.ToBytes();
        Assert.Equal(OrtOracle.Run(model, input, shape), EngineRunner.Run(model, input, shape[0]));
    }

    [Theory]
    [InlineData(0, new[] { true, false, true })]
    [InlineData(-1, new[] { false, true, true, false, true })]
    [InlineData(1, new[] { true, false })]
    [InlineData(null, new[] { false, true, false, false, true, true, false, true })]
    public void CompressAlongAnAxisOrFlattened(int? axis, bool[] condition)
    {
        int[] shape = [3, 4, 5];
        var resolved = axis is null ? 0 : axis < 0 ? axis.Value + 3 : axis.Value;
        var kept = condition.Count(c => c);
        int[] outShape = axis is null ? [kept] : shape.Select((d, i) => i == resolved ? kept : d).ToArray();
        var b = new OnnxGraphBuilder(opset: 11);
        var x = b.Input("x", shape);
        AttributeProto[] attributes = axis is null ? [] : [Int("axis", axis.Value)];
        var y = b.Node("Compress", "compress", [x, b.BoolInitializer("condition", condition)], outShape, attributes);
        Check(b, y, shape);
    }

    [Theory]
    [InlineData(new[] { 4, 4 })]
    [InlineData(new[] { 2, 3, 5, 5 })]
    [InlineData(new[] { 6, 1, 1 })]
    public void DetOfSingleAndBatchedMatrices(int[] shape)
    {
        var b = new OnnxGraphBuilder(opset: 11);
        var x = b.Input("x", shape);
        Check(b, b.Node("Det", "det", [x], shape[..^2]), shape, tolerance: 1e-5);
    }

    [Fact]
    public void DetOfASingularMatrixIsZeroAndOfAPermutationIsItsSign()
    {
        var b = new OnnxGraphBuilder(opset: 11);
        var x = b.Input("x", [2, 3, 3]);
        b.Output(b.Node("Det", "det", [x], [2]));
        float[] input = [1, 2, 3, 2, 4, 6, 0, 1, 1, /* rows 0 and 1 dependent */ 0, 1, 0, 0, 0, 1, 1, 0, 0 /* a cycle of three */];
        var result = EngineRunner.Run(b.ToBytes(), input, 2);
        Assert.Equal([0f, 1f], result);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 3, 4 }, new[] { 2, 2 }, new[] { 2, 2 }, new[] { 0, 0, 0, 0 }, null)]
    [InlineData(new[] { 2, 3, 3, 4 }, new[] { 2, 2 }, new[] { 2, 2 }, new[] { 0, 0, 0, 0 }, new[] { 2, 3, 6, 8 })]
    [InlineData(new[] { 1, 2, 4, 3 }, new[] { 3, 2 }, new[] { 2, 1 }, new[] { 1, 0, 0, 1 }, null)]
    [InlineData(new[] { 2, 2, 5 }, new[] { 3 }, new[] { 2 }, new[] { 1, 1 }, null)]
    public void MaxUnpoolPlacesEachValueAtItsIndex(int[] shape, int[] kernel, int[] strides, int[] pads, int[]? outputShape)
    {
        var spatial = shape.Length - 2;
        var unpooled = outputShape ?? shape.Select((d, i) => i < 2 ? d : ((d - 1) * strides[i - 2]) + kernel[i - 2] - pads[i - 2] - pads[i - 2 + spatial]).ToArray();

        // Each input position names a distinct output position inside its pooling window, as MaxPool's indices would.
        var random = new Random(81 + spatial);
        var inPlane = Count(shape[2..]);
        var outPlane = Count(unpooled[2..]);
        var indices = new long[Count(shape)];
        for (var i = 0; i < indices.Length; i++)
        {
            long offset = 0;
            var rest = i % inPlane;
            var stride = 1;
            for (var d = spatial - 1; d >= 0; d--)
            {
                var p = rest % shape[d + 2];
                rest /= shape[d + 2];
                var start = (p * strides[d]) - pads[d];
                var at = Math.Clamp(start + random.Next(Math.Min(kernel[d], strides[d])), 0, unpooled[d + 2] - 1);
                offset += at * stride;
                stride *= unpooled[d + 2];
            }

            indices[i] = ((i / inPlane) * outPlane) + offset;
        }

        Assert.Equal(indices.Length, indices.Distinct().Count());
        var b = new OnnxGraphBuilder(opset: 11);
        var x = b.Input("x", shape);
        var inputs = new List<string> { x, b.IntegerInitializer("indices", shape, indices) };
        if (outputShape is not null)
        {
            inputs.Add(b.IntegerInitializer("output_shape", outputShape.Select(d => (long)d).ToArray()));
        }

        var y = b.Node("MaxUnpool", "unpool", [.. inputs], unpooled, Ints("kernel_shape", kernel), Ints("strides", strides), Ints("pads", pads));
        Check(b, y, shape);
    }

    [Theory]
    [InlineData(new[] { 4, 5, 3 }, 1, 0)]
    [InlineData(new[] { 3, 6, 2 }, 0, 1)]
    [InlineData(new[] { 5, 4 }, 1, 0)]
    public void ReverseSequenceReversesEachBatchEntrysPrefix(int[] shape, int batchAxis, int timeAxis)
    {
        var random = new Random(91 + batchAxis);
        var lengths = Enumerable.Range(0, shape[batchAxis]).Select(_ => (long)random.Next(1, shape[timeAxis] + 1)).ToArray();
        var b = new OnnxGraphBuilder(opset: 10);
        var x = b.Input("x", shape);
        var y = b.Node("ReverseSequence", "reverse", [x, b.IntegerInitializer("lengths", lengths)], shape, Int("batch_axis", batchAxis), Int("time_axis", timeAxis));
        Check(b, y, shape);
    }

    [Fact]
    public void MaxUnpoolToAnotherShapeThanTheUnpooledOneIsRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder(opset: 11);
        var x = b.Input("x", [1, 1, 2, 2]);
        var indices = b.IntegerInitializer("indices", [1, 1, 2, 2], [5, 7, 13, 15]);
        b.Output(b.Node("MaxUnpool", "unpool", [x, indices, b.IntegerInitializer("output_shape", [1, 1, 5, 5])], [1, 1, 5, 5], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)));
        var error = Assert.Throws<ConvServiceException>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("'unpool' (MaxUnpool)", error.Message);
        Assert.Contains("output_shape [1, 1, 5, 5] differs from the unpooled shape [1, 1, 4, 4]", error.Message);
    }

    [Fact]
    public void AGatherNDOutputPastThePerTensorLimitIsRefusedBeforeItIsBuilt()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 1000]);
        b.Output(b.Node("GatherND", "widen", [x, b.IntegerInitializer("indices", [3, 1], [0, 1, -1])], [3, 1000]));
        var error = Assert.Throws<ConvServiceException>(() => OnnxModel.Load(b.ToBytes(), new ConvService.Inference.Engine.EngineOptions { MaxElementsPerTensor = 2500 }));
        Assert.Contains("'widen' (GatherND)", error.Message);
        Assert.Contains("exceeds the limit of 2500 elements per tensor", error.Message);
    }

    [Fact]
    public void ConstantInputsFoldToTheSameValues()
    {
        // GatherND then ScatterElements then Det on constants, added to a runtime input: only the Add runs.
        var b = new OnnxGraphBuilder(seed: 9, opset: 18);
        var x = b.Input("x", [2]);
        var data = b.Initializer("data", [2, 3, 3], b.RandomValues(18, 1f));
        var picked = b.Node("GatherND", "gather", [data, b.IntegerInitializer("indices", [2, 1], [-1, 0])], [2, 3, 3]);
        var scattered = b.Node(
            "ScatterElements", "scatter", [picked, b.IntegerInitializer("indices2", [2, 1, 3], [0, -1, 2, 1, 1, -3]), b.Initializer("updates", [2, 1, 3], b.RandomValues(6, 1f))], [2, 3, 3],
            Int("axis", 1), String("reduction", "max"));
        var det = b.Node("Det", "det", [scattered], [2]);
        Check(b, b.Add(x, det), [2], tolerance: 1e-5);
        Assert.Single(OnnxModel.Load(b.ToBytes()).Layers);
    }

    [Fact]
    public void RuntimeIndicesAndOutOfRangeIndicesAreRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 3]);
        b.Output(b.Node("GatherND", "picks", [x, b.IntegerInitializer("indices", [1, 2], [1, 3])], [1]));
        var error = Assert.Throws<ConvServiceException>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("'picks' (GatherND)", error.Message);
        Assert.Contains("index 3 is outside axis 1", error.Message);

        var b2 = new OnnxGraphBuilder(opset: 11);
        var x2 = b2.Input("x", [2, 3]);
        var condition = b2.Node("Greater", "positive", [b2.Node("ReduceSum", "sum", [x2], [2], Ints("axes", 1), Int("keepdims", 0)), b2.Initializer("zero", [], [0f])], [2]);
        b2.Output(b2.Node("Compress", "keep", [x2, condition], [2, 3], Int("axis", 0)));
        var error2 = Assert.Throws<ConvServiceException>(() => OnnxModel.Load(b2.ToBytes()));
        Assert.Contains("'keep' (Compress)", error2.Message);
        Assert.Contains("must be a constant", error2.Message);
    }

    [Fact]
    public void ScatterWithAnUnknownReductionIsRefused()
    {
        var b = new OnnxGraphBuilder(opset: 18);
        var x = b.Input("x", [4]);
        b.Output(b.Node("ScatterElements", "scatter", [x, b.IntegerInitializer("indices", [1], [0]), b.Initializer("u", [1], [1f])], [4], String("reduction", "mean")));
        var error = Assert.Throws<ConvServiceException>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("reduction 'mean'", error.Message);
    }

    /// <summary>Random indices along the axis, each negative half the time; distinct along every line when asked.</summary>
    private static long[] ElementIndices(int[] shape, int[] indexShape, int axis, bool distinct, int seed)
    {
        var resolved = axis < 0 ? axis + shape.Length : axis;
        var size = shape[resolved];
        var random = new Random(seed);
        var permutation = Enumerable.Range(0, size).OrderBy(_ => random.Next()).ToArray();
        var indices = new long[Count(indexShape)];
        var position = new int[indexShape.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            long index = distinct ? permutation[position[resolved]] : random.Next(size);
            indices[i] = random.Next(2) == 0 ? index : index - size;
            for (var d = indexShape.Length - 1; d >= 0 && ++position[d] == indexShape[d]; d--)
            {
                position[d] = 0;
            }
        }

        return indices;
    }

    private static int Count(int[] shape) => shape.Aggregate(1, (p, d) => p * d);

    private static void Check(OnnxGraphBuilder b, string output, int[] inputShape, double tolerance = 0)
    {
        b.Output(output);
        EngineRunner.AssertMatchesOrt(b.ToBytes(), inputShape, seed: 3, tolerance);
    }
}
