using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using Google.Protobuf;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Engine;

/// <summary>
/// Shape computations and constant subgraphs are evaluated while planning (Planning/Constants); each model here feeds
/// such a chain into a runtime operator and is compared with ONNX Runtime, at two input sizes where the chain reads
/// a symbolic shape.
/// </summary>
public sealed class ConstantFoldingTests
{
    private const long Float = (long)TensorProto.Types.DataType.Float;
    private const long Int64 = (long)TensorProto.Types.DataType.Int64;
    private const long Int32 = (long)TensorProto.Types.DataType.Int32;

    /// <summary>The model with dimensions 2 and 3 of its input made symbolic, as exporters of dynamic image sizes write them.</summary>
    private static byte[] WithSymbolicImageSize(OnnxGraphBuilder b)
    {
        var model = b.Build();
        var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim;
        dims[2] = new TensorShapeProto.Types.Dimension { DimParam = "height" };
        dims[3] = new TensorShapeProto.Types.Dimension { DimParam = "width" };
        return model.ToByteArray();
    }

    private static void AssertMatchesOrt(byte[] model, params int[][] shapes)
    {
        var compiled = OnnxModel.Load(model);
        Assert.DoesNotContain(compiled.Layers, l => l.OpType is "Shape" or "Gather" or "Cast" or "Slice" or "Range" or "ConstantOfShape" or "Where" or "Equal" or "Expand");
        foreach (var shape in shapes)
        {
            var input = Accuracy.Random(shape.Aggregate(1, (p, d) => p * d), seed: shape.Sum());
            using var session = compiled.CreateSession([shape]);
            session.Run(input);
            var actual = session.Output(compiled.Outputs[0].Name).ToArray();
            Accuracy.AssertClose(OrtOracle.Run(model, input, shape), actual, 1e-6);
        }
    }

    [Fact]
    public void FlattenSpatialDimensionsFromTheRuntimeShape()
    {
        // [N, C, H, W] -> [N, C, H * W] through Shape, Slice, ReduceProd, Concat, as exporters write x.flatten(2).
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 3, 5, 7], "N");
        var shape = b.Node("Shape", "shape", [x], [4]);
        var head = b.Node("Slice", "head", [shape, b.IntegerInitializer("s0", [0]), b.IntegerInitializer("e0", [2])], [2]);
        var tail = b.Node("Slice", "tail", [shape, b.IntegerInitializer("s1", [-2]), b.IntegerInitializer("e1", [long.MaxValue])], [2]);
        var area = b.Node("ReduceProd", "area", [tail], [1], Int("keepdims", 1));
        var target = b.Node("Concat", "target", [head, area], [3], Int("axis", 0));
        b.Output(b.Node("Reshape", "flat", [x, target], [1, 3, 35]));
        AssertMatchesOrt(WithSymbolicImageSize(b), [1, 3, 5, 7], [2, 3, 9, 4]);
    }

    [Fact]
    public void HalfSizeThroughCastsAndFloatArithmetic()
    {
        // Shape -> Cast(float) -> Div 2 -> Floor -> Cast(int32) -> Cast(int64) -> Mul 2: the same shape again (a 0 copies the batch).
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 2, 8, 6], "N");
        var shape = b.Node("Shape", "shape", [x], [4]);
        var asFloat = b.Node("Cast", "as_float", [shape], [4], Int("to", Float));
        var half = b.Node("Div", "half", [asFloat, b.Initializer("two", [], [2f])], [4]);
        var floor = b.Node("Floor", "floor", [half], [4]);
        var back = b.Node("Cast", "back", [b.Node("Cast", "as_int32", [floor], [4], Int("to", Int32))], [4], Int("to", Int64));
        var scale = b.IntegerInitializer("scale", [2, 2, 2, 2]);
        var target = b.Node("Mul", "target", [back, scale], [4]);
        b.Output(b.Node("Reshape", "same", [x, target], [1, 2, 8, 6]));
        AssertMatchesOrt(WithSymbolicImageSize(b), [1, 2, 8, 6], [2, 2, 4, 10]);
    }

    [Fact]
    public void RangeWhereEqualConstantOfShapeAndExpandMakeABias()
    {
        // bias[c] = c == 1 ? 5 : c, built from Range, Equal, Where, ConstantOfShape and Expand, added per channel.
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 3, 4, 4]);
        var channels = b.Node("Gather", "channels", [b.Node("Shape", "shape", [x], [4]), b.IntegerInitializer("one", [1])], [1], Int("axis", 0));
        var zero = b.IntegerInitializer("zero", [0]);
        var range = b.Node("Range", "range", [b.Node("Squeeze", "start", [zero], []), b.Node("Squeeze", "limit", [channels], []), b.Node("Squeeze", "delta", [b.IntegerInitializer("step", [1])], [])], [3]);
        var isOne = b.Node("Equal", "is_one", [range, b.IntegerInitializer("target", [1])], [3]);
        var fives = b.Node("ConstantOfShape", "fives", [channels], [3], new AttributeProto
        {
            Name = "value",
            Type = AttributeProto.Types.AttributeType.Tensor,
            T = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1 }, FloatData = { 5f } },
        });
        var bias = b.Node("Where", "bias", [isOne, fives, b.Node("Cast", "range_f", [range], [3], Int("to", Float))], [3]);
        var column = b.Node("Unsqueeze", "column", [bias, b.IntegerInitializer("axes", [1, 2])], [3, 1, 1]);
        var wide = b.Node("Expand", "wide", [column, b.IntegerInitializer("wide_shape", [1, 3, 1, 4])], [1, 3, 1, 4]);
        b.Output(b.Add(x, wide, name: "sum"));
        AssertMatchesOrt(b.ToBytes(), [2, 3, 4, 4]);
    }

    [Fact]
    public void TransposeTileSplitAndMinMaxOnConstants()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 4, 2, 3]);
        var table = b.Initializer("table", [3, 2], [1f, -2f, 3f, -4f, 5f, -6f]);
        var turned = b.Node("Transpose", "turned", [table], [2, 3], Ints("perm", 1, 0));
        var tiled = b.Node("Tile", "tiled", [turned, b.IntegerInitializer("repeats", [2, 1])], [4, 3]);
        var halves = b.MultiOutputNode("Split", "halves", [tiled, b.IntegerInitializer("split", [2, 2])], [[2, 3], [2, 3]], Int("axis", 0));
        var low = b.Node("Min", "low", [halves[0], halves[1], b.Initializer("cap", [], [2f])], [2, 3]);
        var high = b.Node("Max", "high", [low, b.Node("Neg", "neg", [b.Initializer("floor", [1], [3f])], [1])], [2, 3]);
        b.Output(b.Node("Mul", "scaled", [x, high], [1, 4, 2, 3]));
        AssertMatchesOrt(b.ToBytes(), [1, 4, 2, 3]);
    }

    [Fact]
    public void SizeAndIntegerDivisionAndModulo()
    {
        // Size / 7 and Size mod -5 (the divisor's sign) as an offset along the last axis: 12 / 7 = 1, 12 mod -5 = -3.
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 2, 3, 2]);
        var size = b.Node("Size", "size", [x], []);
        var quotient = b.Node("Div", "quotient", [size, b.IntegerInitializer("seven", [7])], [1]);
        var remainder = b.Node("Mod", "remainder", [size, b.IntegerInitializer("minus_five", [-5])], [1]);
        var both = b.Node("Concat", "both", [quotient, remainder], [2], Int("axis", 0));
        b.Output(b.Node("Add", "offset", [x, b.Node("Cast", "both_f", [both], [2], Int("to", Float))], [1, 2, 3, 2]));
        AssertMatchesOrt(b.ToBytes(), [1, 2, 3, 2]);
    }

    [Fact]
    public void ReversedSlicesGathersWithNegativeIndicesSqueezeAndFlatten()
    {
        // A 2x3x4 constant: reversed along its last axis with step -2, rows picked with negative 2-D indices, then
        // squeezed and flattened, and added to the input.
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 4]);
        var cube = b.Initializer("cube", [2, 3, 4], [.. Enumerable.Range(0, 24).Select(i => (float)(i * i % 17))]);
        var reversed = b.Node("Slice", "reversed", [cube, b.IntegerInitializer("starts", [-1]), b.IntegerInitializer("ends", [-5]), b.IntegerInitializer("axes", [-1]), b.IntegerInitializer("steps", [-2])], [2, 3, 2]);
        var indices = b.Node("Reshape", "indices", [b.IntegerInitializer("picks", [-1, 0]), b.IntegerInitializer("index_shape", [2, 1])], [2, 1]);
        var rows = b.Node("Gather", "rows", [reversed, indices], [2, 2, 1, 2], Int("axis", 1));
        var squeezed = b.Node("Squeeze", "squeezed", [rows, b.IntegerInitializer("squeeze_axes", [2])], [2, 2, 2]);
        var flat = b.Node("Flatten", "flat", [squeezed], [2, 4], Int("axis", 1));
        var row = b.Node("Slice", "row", [flat, b.IntegerInitializer("row_start", [1]), b.IntegerInitializer("row_end", [2]), b.IntegerInitializer("row_axis", [0])], [1, 4]);
        b.Output(b.Add(x, row, name: "sum"));
        AssertMatchesOrt(b.ToBytes(), [1, 4]);
    }

    [Theory]
    [InlineData(TensorProto.Types.DataType.Uint8, false)]
    [InlineData(TensorProto.Types.DataType.Int8, true)]
    [InlineData(TensorProto.Types.DataType.Uint16, false)]
    [InlineData(TensorProto.Types.DataType.Bool, true)]
    [InlineData(TensorProto.Types.DataType.Uint64, false)]
    [InlineData(TensorProto.Types.DataType.Float16, true)]
    public void NarrowAndBooleanInitializersAreReadThenCast(TensorProto.Types.DataType type, bool raw)
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 4]);
        b.Output(b.Node("Add", "sum", [x, b.Node("Cast", "as_float", ["table"], [4], Int("to", Float))], [1, 4]));
        var model = b.Build();
        long[] values = type == TensorProto.Types.DataType.Bool ? [1, 0, 1, 1] : type == TensorProto.Types.DataType.Int8 ? [-3, 0, 7, 100] : [3, 0, 7, 200];
        var table = new TensorProto { Name = "table", DataType = (int)type, Dims = { 4 } };
        if (raw)
        {
            table.RawData = ByteString.CopyFrom(type == TensorProto.Types.DataType.Float16
                ? values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray()
                : values.Select(v => (byte)v).ToArray());
        }
        else if (type == TensorProto.Types.DataType.Uint64)
        {
            table.Uint64Data.AddRange(values.Select(v => (ulong)v));
        }
        else
        {
            table.Int32Data.AddRange(values.Select(v => (int)v));
        }

        model.Graph.Initializer.Add(table);
        AssertMatchesOrt(model.ToByteArray(), [1, 4]);
    }

    [Fact]
    public void RuntimeInputToAConstantOnlyOperatorIsRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [1, 4]);
        b.Output(b.Node("Range", "ramp", [b.Node("ReduceMax", "start", [x], [1], Int("keepdims", 0)), b.Initializer("limit", [], [9f]), b.Initializer("delta", [], [1f])], [9]));
        var error = Assert.Throws<ConvService.Inference.Errors.ConvServiceException>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("'ramp' (Range)", error.Message);
    }
}
