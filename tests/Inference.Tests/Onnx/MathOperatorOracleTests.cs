using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>Every operator of the math set in a one-node model, against ONNX Runtime, at every SIMD level.</summary>
public sealed class MathOperatorOracleTests
{
    private static readonly int[] Shape = [2, 3, 5, 7];

    public static TheoryData<SimdLevel, string, int> UnaryCases()
    {
        var data = new TheoryData<SimdLevel, string, int>();
        string[] ops =
        [
            "Exp", "Log", "Sqrt", "Reciprocal", "Abs", "Neg", "Sign", "Floor", "Ceil", "Round", "Erf", "Sin", "Cos", "Tan",
            "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Elu", "Selu", "Celu", "ThresholdedRelu",
            "Softplus", "Softsign", "Mish", "Shrink", "HardSigmoid", "HardSwish",
        ];
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var op in ops)
            {
                data.Add(level, op, op is "Mish" ? 18 : 14);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(UnaryCases))]
    public void UnaryFunctions(SimdLevel level, string opType, int opset)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: opset);
        var x = b.Input("x", Shape);
        AttributeProto[] attributes = opType switch
        {
            "Elu" or "Celu" => [Float("alpha", 0.7f)],
            "ThresholdedRelu" => [Float("alpha", 0.4f)],
            "Shrink" => [Float("lambd", 0.6f), Float("bias", 0.2f)],
            "Selu" => [Float("alpha", 1.5f), Float("gamma", 1.1f)],
            _ => [],
        };
        b.Output(b.Node(opType, "op", [x], Shape, attributes));

        // Inputs kept inside each function's domain.
        Func<float, float>? domain = opType switch
        {
            "Log" or "Sqrt" => v => MathF.Abs(v) + 0.01f,
            "Asin" or "Acos" or "Atanh" => v => v / 3.1f,
            "Acosh" => v => MathF.Abs(v) + 1f,
            "Tan" => v => v / 2.5f,
            _ => null,
        };
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 2e-6, shapeInput: domain);
    }

    [SkippableTheory]
    [MemberData(nameof(LevelOracle.Levels), MemberType = typeof(LevelOracle))]
    public void RoundIsHalfToEven(SimdLevel level)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 11);
        var x = b.Input("x", [1, 40]);
        b.Output(b.Node("Round", "round", [x], [1, 40]));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), [1, 40], level, tolerance: 0, shapeInput: v => MathF.Round(v * 4f) / 2f);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar, "none")]
    [InlineData(SimdLevel.Vector256, "none")]
    [InlineData(SimdLevel.Vector128, "none")]
    [InlineData(SimdLevel.Vector512, "none")]
    [InlineData(SimdLevel.Scalar, "tanh")]
    [InlineData(SimdLevel.Vector256, "tanh")]
    [InlineData(SimdLevel.Vector128, "tanh")]
    [InlineData(SimdLevel.Vector512, "tanh")]
    public void Gelu(SimdLevel level, string approximate)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 20);
        var x = b.Input("x", Shape);
        b.Output(b.Node("Gelu", "gelu", [x], Shape, String("approximate", approximate)));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 2e-6);
    }

    public static TheoryData<SimdLevel, int[], int> PowCases()
    {
        var data = new TheoryData<SimdLevel, int[], int>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            data.Add(level, [1], 2);
            data.Add(level, [1], 3);
            data.Add(level, [7], 0);
            data.Add(level, [3, 1, 1], 0);
            data.Add(level, [2, 3, 5, 7], 0);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(PowCases))]
    public void PowWithBroadcastExponent(SimdLevel level, int[] exponentShape, int constant)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 15);
        var x = b.Input("x", Shape);
        var count = exponentShape.Aggregate(1, (p, d) => p * d);
        var values = constant != 0 ? [constant] : b.RandomValues(count, 1f).Select(v => MathF.Round(v * 4f) / 2f).ToArray();
        var e = b.Initializer("e", exponentShape, values);
        b.Output(b.Node("Pow", "pow", [x, e], Shape));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 2e-6, shapeInput: v => constant != 0 ? v : MathF.Abs(v) + 0.1f);
    }

    [SkippableTheory]
    [MemberData(nameof(LevelOracle.Levels), MemberType = typeof(LevelOracle))]
    public void ModWithMixedSigns(SimdLevel level)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", Shape);

        // Divisors of both signs, broadcast along the last axis, some dividing inputs exactly (signed zeros).
        var d = b.Initializer("d", [7], [0.7f, -1.3f, 2f, -0.5f, 3.1f, -2.25f, 0.25f]);
        b.Output(b.Node("Mod", "mod", [x, d], Shape, Int("fmod", 1)));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 0, shapeInput: v => MathF.Round(v * 8f) / 4f);
    }

    [SkippableTheory]
    [MemberData(nameof(LevelOracle.Levels), MemberType = typeof(LevelOracle))]
    public void PReluWithPerChannelSlope(SimdLevel level)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 16);
        var x = b.Input("x", Shape);
        var slope = b.Initializer("slope", [3, 1, 1], [0.1f, -0.2f, 0.3f]);
        b.Output(b.Node("PRelu", "prelu", [x, slope], Shape));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 1e-7);
    }

    public static TheoryData<SimdLevel, string> VariadicCases()
    {
        var data = new TheoryData<SimdLevel, string>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var op in new[] { "Min", "Max", "Sum", "Mean" })
            {
                data.Add(level, op);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(VariadicCases))]
    public void VariadicOverBroadcastInputs(SimdLevel level, string opType)
    {
        SimdLevels.Require(level);
        // The first input is the smallest: the output takes its shape from the later ones.
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [3, 1, 7]);
        var c1 = b.Initializer("c1", [5, 1], b.RandomValues(5, 2f));
        var c2 = b.Initializer("c2", [2, 3, 5, 7], b.RandomValues(210, 2f));
        var r = b.Relu(x);
        b.Output(b.Node(opType, "op", [x, c1, r, c2], Shape));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), [3, 1, 7], level, tolerance: 1e-6);
    }

    [SkippableTheory]
    [MemberData(nameof(VariadicCases))]
    public void VariadicOfOneInput(SimdLevel level, string opType)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", Shape);
        b.Output(b.Node(opType, "op", [x], Shape));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 0);
    }

    public static TheoryData<SimdLevel, string, int[], bool> ReduceCases()
    {
        var data = new TheoryData<SimdLevel, string, int[], bool>();
        string[] ops = ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"];
        int[][] axes = [[2, 3], [1], [0, 2], [-1], [1, 3], []];
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var op in ops)
            {
                foreach (var a in axes)
                {
                    data.Add(level, op, a, a.Length != 1);
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(ReduceCases))]
    public void ReduceWithAxesAttribute(SimdLevel level, string opType, int[] axes, bool keepDims)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", Shape);
        var resolved = axes.Length == 0 ? [0, 1, 2, 3] : axes.Select(a => a < 0 ? a + 4 : a).ToArray();
        var shape = ReducedShape(resolved, keepDims);
        var attributes = new List<AttributeProto> { Int("keepdims", keepDims ? 1 : 0) };
        if (axes.Length > 0 && opType != "ReduceSum")
        {
            attributes.Add(Ints("axes", axes));
        }

        string[] inputs = axes.Length > 0 && opType == "ReduceSum" ? [x, b.IntegerInitializer("axes", axes.Select(a => (long)a).ToArray())] : [x];
        b.Output(b.Node(opType, "reduce", inputs, shape, [.. attributes]));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 2e-6, shapeInput: opType == "ReduceLogSum" ? v => MathF.Abs(v) + 0.1f : opType == "ReduceProd" ? v => 0.6f + (v / 6f) : null);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar, "ReduceMean")]
    [InlineData(SimdLevel.Vector512, "ReduceMean")]
    [InlineData(SimdLevel.Vector256, "ReduceMax")]
    [InlineData(SimdLevel.Vector128, "ReduceMax")]
    [InlineData(SimdLevel.Vector512, "ReduceLogSumExp")]
    public void ReduceWithAxesInputAtOpset18(SimdLevel level, string opType)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 18);
        var x = b.Input("x", Shape);
        var axes = b.IntegerInitializer("axes", [-2, -1]);
        b.Output(b.Node(opType, "reduce", [x, axes], [2, 3, 1, 1]));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 2e-6);
    }

    [SkippableTheory]
    [MemberData(nameof(LevelOracle.Levels), MemberType = typeof(LevelOracle))]
    public void ReduceSumWithEmptyAxesAndNoop(SimdLevel level)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", Shape);
        var axes = b.IntegerInitializer("axes", []);
        b.Output(b.Node("ReduceSum", "reduce", [x, axes], Shape, Int("noop_with_empty_axes", 1)));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 0);
    }

    public static TheoryData<string, int, bool, bool> ArgCases()
    {
        var data = new TheoryData<string, int, bool, bool>();
        foreach (var op in new[] { "ArgMax", "ArgMin" })
        {
            foreach (var axis in new[] { 0, 1, 3, -2 })
            {
                data.Add(op, axis, axis != 1, axis == 3);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(ArgCases))]
    public void ArgExtremaAsFloatIndices(string opType, int axis, bool keepDims, bool selectLast)
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", Shape);
        var resolved = axis < 0 ? axis + 4 : axis;
        b.Output(b.Node(opType, "arg", [x], ReducedShape([resolved], keepDims), Int("axis", axis), Int("keepdims", keepDims ? 1 : 0), Int("select_last_index", selectLast ? 1 : 0)));

        // Coarse values so ties occur and select_last_index matters.
        LevelOracle.AssertMatchesOrt(LevelOracle.WithInt64Output(b.ToBytes()), Shape, SimdCapabilities.Best, tolerance: 0, shapeInput: v => MathF.Round(v));
    }

    public static TheoryData<SimdLevel, string, int, int> SoftmaxCases()
    {
        var data = new TheoryData<SimdLevel, string, int, int>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var op in new[] { "LogSoftmax", "Hardmax", "Softmax" })
            {
                data.Add(level, op, 11, 1);
                data.Add(level, op, 11, 2);
                data.Add(level, op, 13, 1);
                data.Add(level, op, 13, -1);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(SoftmaxCases))]
    public void SoftmaxFamilyFollowsTheOpset(SimdLevel level, string opType, int opset, int axis)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: opset);
        var x = b.Input("x", Shape);
        b.Output(b.Node(opType, "op", [x], Shape, Int("axis", axis)));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 2e-6);
    }

    [SkippableTheory]
    [MemberData(nameof(LevelOracle.Levels), MemberType = typeof(LevelOracle))]
    public void InstanceNormalization(SimdLevel level)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 7);
        var x = b.Input("x", [2, 3, 9, 11]);
        var scale = b.Initializer("scale", [3], [0.5f, 1.5f, -1f]);
        var bias = b.Initializer("bias", [3], [0.1f, 0.2f, -0.3f]);
        b.Output(b.Node("InstanceNormalization", "norm", [x, scale, bias], [2, 3, 9, 11], Float("epsilon", 1e-3f)));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), [2, 3, 9, 11], level, tolerance: 1e-5);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar, -1)]
    [InlineData(SimdLevel.Vector256, -1)]
    [InlineData(SimdLevel.Vector128, -1)]
    [InlineData(SimdLevel.Vector512, -1)]
    [InlineData(SimdLevel.Vector512, 2)]
    [InlineData(SimdLevel.Scalar, 1)]
    public void LayerNormalization(SimdLevel level, int axis)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 17);
        int[] shape = [2, 5, 37];
        var x = b.Input("x", shape);
        var resolved = axis < 0 ? axis + 3 : axis;
        var rowShape = shape[resolved..];
        var rowLength = rowShape.Aggregate(1, (p, d) => p * d);
        var scale = b.Initializer("scale", rowShape, b.RandomValues(rowLength, 1f));
        var bias = b.Initializer("bias", rowShape, b.RandomValues(rowLength, 1f));
        b.Output(b.Node("LayerNormalization", "norm", [x, scale, bias], shape, Int("axis", axis), Float("epsilon", 1e-4f)));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), shape, level, tolerance: 1e-5);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar, -1)]
    [InlineData(SimdLevel.Vector256, -1)]
    [InlineData(SimdLevel.Vector512, -1)]
    [InlineData(SimdLevel.Vector512, 1)]
    public void LayerNormalizationStatistics(SimdLevel level, int axis)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 17);
        int[] shape = [2, 5, 37];
        var x = b.Input("x", shape);
        var resolved = axis < 0 ? axis + 3 : axis;
        var rowShape = shape[resolved..];
        var rowLength = rowShape.Aggregate(1, (p, d) => p * d);
        var statisticsShape = shape.Select((d, i) => i < resolved ? d : 1).ToArray();
        var scale = b.Initializer("scale", rowShape, b.RandomValues(rowLength, 1f));
        var bias = b.Initializer("bias", rowShape, b.RandomValues(rowLength, 1f));
        var outputs = b.MultiOutputNode("LayerNormalization", "norm", [x, scale, bias], [shape, statisticsShape, statisticsShape], Int("axis", axis), Float("epsilon", 1e-4f));
        foreach (var output in outputs)
        {
            b.Output(output);
        }

        var model = b.ToBytes();
        var input = Accuracy.Random(shape.Aggregate(1, (p, d) => p * d), seed: 11, bound: 3f);
        using var session = OnnxModel.Load(model, new ConvService.Inference.Engine.EngineOptions { Simd = level }).CreateSession(shape[0]);
        session.Run(input);
        foreach (var output in outputs)
        {
            Accuracy.AssertClose(OrtOracle.Run(model, input, shape, output), session.Output(output).ToArray(), 1e-5);
        }

        Assert.Equal(statisticsShape, session.Outputs[1].Shape);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar, 21)]
    [InlineData(SimdLevel.Vector256, 21)]
    [InlineData(SimdLevel.Vector128, 21)]
    [InlineData(SimdLevel.Vector512, 21)]
    [InlineData(SimdLevel.Vector512, 18)]
    public void GroupNormalization(SimdLevel level, int opset)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: opset);
        int[] shape = [2, 6, 5, 7];
        var x = b.Input("x", shape);
        var count = opset >= 21 ? 6 : 3;
        var scale = b.Initializer("scale", [count], b.RandomValues(count, 1f));
        var bias = b.Initializer("bias", [count], b.RandomValues(count, 1f));
        b.Output(b.Node("GroupNormalization", "norm", [x, scale, bias], shape, Int("num_groups", 3), Float("epsilon", 1e-4f)));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), shape, level, tolerance: 1e-5);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar, null)]
    [InlineData(SimdLevel.Vector256, null)]
    [InlineData(SimdLevel.Vector128, null)]
    [InlineData(SimdLevel.Vector512, null)]
    [InlineData(SimdLevel.Vector512, new[] { 1, 3 })]
    [InlineData(SimdLevel.Vector512, new[] { 3 })]
    public void MeanVarianceNormalization(SimdLevel level, int[]? axes)
    {
        SimdLevels.Require(level);
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", Shape);
        b.Output(axes is null ? b.Node("MeanVarianceNormalization", "mvn", [x], Shape) : b.Node("MeanVarianceNormalization", "mvn", [x], Shape, Ints("axes", axes)));
        LevelOracle.AssertMatchesOrt(b.ToBytes(), Shape, level, tolerance: 1e-5);
    }

    [SkippableFact]
    public void BatchNormalizationInTrainingModeIsRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder(opset: 15);
        var x = b.Input("x", [1, 2, 3, 3]);
        var p = b.Initializer("p", [2], [1f, 1f]);
        b.Output(b.Node("BatchNormalization", "bn_train", [x, p, p, p, p], [1, 2, 3, 3], Int("training_mode", 1)));
        var error = Assert.ThrowsAny<Exception>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("bn_train", error.ToString());
        Assert.Contains("training", error.ToString());
    }

    [SkippableFact]
    public void BatchNormalizationInTrainingModeAfterAConvolutionIsNotFolded()
    {
        var b = new OnnxGraphBuilder(opset: 15);
        var x = b.Input("x", [1, 2, 5, 5]);
        var conv = b.Conv(x, 3, 3, pad: 1);
        var p = b.Initializer("p", [3], [1f, 1f, 1f]);
        b.Output(b.Node("BatchNormalization", "bn_after_conv", [conv, p, p, p, p], [1, 3, 5, 5], Int("training_mode", 1)));
        var error = Assert.ThrowsAny<Exception>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("bn_after_conv", error.ToString());
    }

    [SkippableFact]
    public void GeluWithAnUnknownApproximationIsRefused()
    {
        var b = new OnnxGraphBuilder(opset: 20);
        var x = b.Input("x", [1, 4]);
        b.Output(b.Node("Gelu", "gelu_odd", [x], [1, 4], String("approximate", "erf")));
        var error = Assert.ThrowsAny<Exception>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("gelu_odd", error.ToString());
    }

    private static int[] ReducedShape(int[] axes, bool keepDims) =>
        Enumerable.Range(0, 4).Where(d => keepDims || !axes.Contains(d)).Select(d => axes.Contains(d) ? 1 : Shape[d]).ToArray();
}
