using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>ConvTranspose, 1-D Conv and pooling, LpPool and dilated AveragePool against ONNX Runtime.</summary>
public sealed class SpatialOperatorOracleTests
{
    public static TheoryData<string> ConvTransposeCases() =>
    [
        "2d k3 s1 p1",
        "2d k4 s2 p1",
        "2d k3 s2 p1 op1",
        "2d k3 s2 p0 d2 g2",
        "2d k3 s3 p2 op2 g4",
        "2d k2 s2 p0 nobias",
        "2d k3 s2 SAME_UPPER",
        "2d k4 s2 SAME_LOWER",
        "2d k3 s2 VALID",
        "2d k3 s2 shape",
        "2d k4 s2 shape",
        "2d k3 s2 SAME_UPPER shape",
        "2d k4 s2 SAME_UPPER shape",
        "2d k4 s2 SAME_LOWER shape",
        "1d k5 s2 p2 op1",
        "1d k3 s1 d3 g2",
        "3d k3 s2 p1 op1",
    ];

    [Theory]
    [MemberData(nameof(ConvTransposeCases))]
    public void ConvTranspose(string spec)
    {
        var words = spec.Split(' ');
        var spatial = words[0][0] - '0';
        int Value(string prefix, int fallback) => words.Where(w => w.StartsWith(prefix, StringComparison.Ordinal) && w.Length > prefix.Length && char.IsDigit(w[prefix.Length]))
            .Select(w => int.Parse(w[prefix.Length..])).DefaultIfEmpty(fallback).First();
        int k = Value("k", 3), s = Value("s", 1), p = Value("p", 0), op = Value("op", 0), d = Value("d", 1), g = Value("g", 1);
        var autoPad = words.FirstOrDefault(w => w.StartsWith("SAME", StringComparison.Ordinal) || w == "VALID");
        int[] inSpatial = spatial switch { 1 => [9], 2 => [5, 6], _ => [3, 4, 3] };
        int inChannels = 4, outPerGroup = 3;
        int[] shape = [2, inChannels, .. inSpatial];
        var b = new OnnxGraphBuilder(seed: 21, opset: 13);
        var x = b.Input("x", shape);
        var weights = b.Initializer("w", [inChannels, outPerGroup, .. Enumerable.Repeat(k, spatial)], b.RandomValues(inChannels * outPerGroup * (int)Math.Pow(k, spatial), 0.5f));
        List<string> inputs = [x, weights];
        if (!words.Contains("nobias"))
        {
            inputs.Add(b.Initializer("bias", [outPerGroup * g], b.RandomValues(outPerGroup * g, 0.5f)));
        }

        List<AttributeProto> attributes = [Ints("kernel_shape", [.. Enumerable.Repeat(k, spatial)]), Ints("strides", [.. Enumerable.Repeat(s, spatial)]), Ints("dilations", [.. Enumerable.Repeat(d, spatial)]), Int("group", g)];
        var outSpatial = inSpatial.Select(n => (s * (n - 1)) + op + ((k - 1) * d) + 1 - (2 * p)).ToArray();
        if (words.Contains("shape"))
        {
            // k3 s2 leaves an odd total padding of 1 (k4: 3), so the way it is split shows.
            outSpatial = inSpatial.Select(n => n * s).ToArray();
            attributes.Add(Ints("output_shape", outSpatial));
        }
        else if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            outSpatial = inSpatial.Select(n => n * s).ToArray();
        }
        else if (autoPad == "VALID")
        {
            outSpatial = inSpatial.Select(n => (s * (n - 1)) + ((k - 1) * d) + 1).ToArray();
        }

        if (autoPad is not null)
        {
            attributes.Add(String("auto_pad", autoPad));
        }

        if (autoPad is null && !words.Contains("shape"))
        {
            attributes.Add(Ints("pads", [.. Enumerable.Repeat(p, 2 * spatial)]));
        }

        if (op > 0)
        {
            attributes.Add(Ints("output_padding", [.. Enumerable.Repeat(op, spatial)]));
        }

        var y = b.Node("ConvTranspose", "deconv", [.. inputs], [2, outPerGroup * g, .. outSpatial], [.. attributes]);
        Check(b, y, shape, 1e-5);
        Assert.Equal([2, outPerGroup * g, .. outSpatial], OnnxModel.Load(b.ToBytes()).Layers[0].OutputShape);
    }

    [Theory]
    [InlineData(3, 1, 1, 1, 1, null)]
    [InlineData(5, 2, 2, 2, 2, null)]
    [InlineData(4, 3, 0, 1, 4, "SAME_UPPER")]
    [InlineData(4, 2, 0, 1, 1, "SAME_LOWER")]
    [InlineData(3, 2, 0, 3, 1, "VALID")]
    public void OneDimensionalConv(int kernel, int stride, int pad, int dilation, int group, string? autoPad)
    {
        int[] shape = [2, 4, 23];
        var b = new OnnxGraphBuilder(seed: 22, opset: 13);
        var x = b.Input("x", shape);
        var w = b.Initializer("w", [8, 4 / group, kernel], b.RandomValues(8 * 4 / group * kernel, 0.5f));
        var bias = b.Initializer("b", [8], b.RandomValues(8, 0.5f));
        List<AttributeProto> attributes = [Ints("kernel_shape", kernel), Ints("strides", stride), Ints("dilations", dilation), Int("group", group)];
        attributes.Add(autoPad is null ? Ints("pads", pad, pad) : String("auto_pad", autoPad));
        var extent = ((kernel - 1) * dilation) + 1;
        var outW = autoPad switch
        {
            null => ((23 + (2 * pad) - extent) / stride) + 1,
            "VALID" => ((23 - extent) / stride) + 1,
            _ => (23 + stride - 1) / stride,
        };
        Check(b, b.Node("Conv", "conv", [x, w, bias], [2, 8, outW], [.. attributes]), shape, 1e-5);
    }

    [Theory]
    [InlineData(3, 1, 1, 1, 1, null)]
    [InlineData(3, 2, 0, 1, 2, null)]
    [InlineData(2, 1, 1, 2, 1, null)]
    [InlineData(3, 2, 0, 1, 1, "SAME_UPPER")]
    public void ThreeDimensionalConvWithReluAndResidual(int kernel, int stride, int pad, int dilation, int group, string? autoPad)
    {
        int[] shape = [2, 4, 5, 6, 7];
        var b = new OnnxGraphBuilder(seed: 23, opset: 13);
        var x = b.Input("x", shape);
        var w = b.Initializer("w", [4, 4 / group, kernel, kernel, kernel], b.RandomValues(16 / group * kernel * kernel * kernel, 0.3f));
        var bias = b.Initializer("b", [4], b.RandomValues(4, 0.3f));
        List<AttributeProto> attributes = [Ints("kernel_shape", kernel, kernel, kernel), Ints("strides", stride, stride, stride), Ints("dilations", dilation, dilation, dilation), Int("group", group)];
        attributes.Add(autoPad is null ? Ints("pads", pad, pad, pad, pad, pad, pad) : String("auto_pad", autoPad));
        var extent = ((kernel - 1) * dilation) + 1;
        var outSize = shape[2..].Select(n => autoPad is null ? ((n + (2 * pad) - extent) / stride) + 1 : (n + stride - 1) / stride).ToArray();
        int[] outShape = [2, 4, .. outSize];
        var conv = b.Node("Conv", "conv3d", [x, w, bias], outShape, [.. attributes]);

        // Stride 1 keeps the shape, so the residual Add folds into the convolution at load; the Relu fuses after it.
        var y = outShape.SequenceEqual(shape) ? b.Relu(b.Add(conv, x)) : b.Relu(conv);
        Check(b, y, shape, 1e-5);
    }

    [Theory]
    [InlineData("MaxPool", 3, 2, 1, 1, 0, 0)]
    [InlineData("MaxPool", 3, 2, 0, 2, 1, 0)]
    [InlineData("AveragePool", 3, 2, 1, 1, 0, 0)]
    [InlineData("AveragePool", 3, 2, 1, 1, 1, 1)]
    [InlineData("AveragePool", 4, 3, 2, 1, 1, 0)]
    [InlineData("LpPool", 3, 2, 1, 1, 0, 0)]
    public void OneDimensionalPools(string opType, int kernel, int stride, int pad, int dilation, int ceil, int countIncludePad)
    {
        int[] shape = [2, 3, 17];
        var b = new OnnxGraphBuilder(opset: 18);
        var x = b.Input("x", shape);
        List<AttributeProto> attributes = [Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", pad, pad)];
        if (opType == "MaxPool")
        {
            attributes.Add(Ints("dilations", dilation));
        }

        if (opType != "LpPool")
        {
            attributes.Add(Int("ceil_mode", ceil));
        }

        if (opType == "AveragePool")
        {
            attributes.Add(Int("count_include_pad", countIncludePad));
        }

        var outW = Inference.Operators.Pooling.PoolGeometry.OutputSize(17, kernel, stride, pad, pad, dilation, ceil != 0);
        Check(b, b.Node(opType, "pool", [x], [2, 3, outW], [.. attributes]), shape, 1e-5);
    }

    [Theory]
    [InlineData("MaxPool", 2, 2, 0, 1, 0, 0)]
    [InlineData("MaxPool", 3, 2, 1, 2, 1, 0)]
    [InlineData("AveragePool", 3, 2, 1, 1, 0, 0)]
    [InlineData("AveragePool", 3, 2, 1, 1, 1, 1)]
    public void ThreeDimensionalPools(string opType, int kernel, int stride, int pad, int dilation, int ceil, int countIncludePad)
    {
        int[] shape = [1, 3, 6, 7, 8];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        List<AttributeProto> attributes = [Ints("kernel_shape", kernel, kernel, kernel), Ints("strides", stride, stride, stride), Ints("pads", pad, pad, pad, pad, pad, pad), Int("ceil_mode", ceil)];
        if (opType == "MaxPool")
        {
            attributes.Add(Ints("dilations", dilation, dilation, dilation));
        }
        else
        {
            attributes.Add(Int("count_include_pad", countIncludePad));
        }

        var outSize = shape[2..].Select(n => Inference.Operators.Pooling.PoolGeometry.OutputSize(n, kernel, stride, pad, pad, dilation, ceil != 0)).ToArray();
        Check(b, b.Node(opType, "pool", [x], [1, 3, .. outSize], [.. attributes]), shape, 1e-5);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(1, 0)]
    [InlineData(3, 1)]
    public void LpPool2D(int p, int pad)
    {
        int[] shape = [1, 3, 9, 8];
        var b = new OnnxGraphBuilder(opset: 18);
        var x = b.Input("x", shape);
        var outH = ((9 + (2 * pad) - 3) / 2) + 1;
        var outW = ((8 + (2 * pad) - 2) / 2) + 1;
        Check(b, b.Node("LpPool", "pool", [x], [1, 3, outH, outW], Ints("kernel_shape", 3, 2), Ints("strides", 2, 2), Ints("pads", pad, pad, pad, pad), Int("p", p)), shape, 1e-5);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    public void LpPool3D(int p, int pad)
    {
        int[] shape = [1, 2, 6, 7, 8];
        var b = new OnnxGraphBuilder(opset: 18);
        var x = b.Input("x", shape);
        var outSize = shape[2..].Select(n => ((n + (2 * pad) - 3) / 2) + 1).ToArray();
        Check(b, b.Node("LpPool", "pool", [x], [1, 2, .. outSize], Ints("kernel_shape", 3, 3, 3), Ints("strides", 2, 2, 2), Ints("pads", pad, pad, pad, pad, pad, pad), Int("p", p)), shape, 1e-5);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void GlobalLpPool(int p)
    {
        int[] shape = [2, 3, 5, 7];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        Check(b, b.Node("GlobalLpPool", "pool", [x], [2, 3, 1, 1], Int("p", p)), shape, 1e-5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void DilatedAveragePoolAtOpset19(int countIncludePad)
    {
        int[] shape = [1, 2, 11, 10];
        var b = new OnnxGraphBuilder(opset: 19);
        var x = b.Input("x", shape);
        var y = b.Node("AveragePool", "pool", [x], [1, 2, 5, 5], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Ints("dilations", 2, 2), Int("count_include_pad", countIncludePad));
        Check(b, y, shape, 1e-5);
    }

    [Fact]
    public void MaxPoolIndicesOutputIsRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", [1, 1, 4, 4]);
        var outputs = b.MultiOutputNode("MaxPool", "pool", [x], [[1, 1, 2, 2], [1, 1, 2, 2]], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
        b.Output(outputs[0]);
        b.Output(outputs[1]);
        var error = Assert.ThrowsAny<Exception>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("'pool' (MaxPool)", error.ToString());
    }

    private static void Check(OnnxGraphBuilder b, string output, int[] inputShape, double tolerance)
    {
        b.Output(output);
        EngineRunner.AssertMatchesOrt(b.ToBytes(), inputShape, seed: 6, tolerance);
    }
}
