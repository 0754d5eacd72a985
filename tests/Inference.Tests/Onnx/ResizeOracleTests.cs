using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>Resize and Upsample in every mode, coordinate transformation, rounding rule and opset form, against ONNX Runtime.</summary>
public sealed class ResizeOracleTests
{
    private static readonly string[] Transforms = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"];

    public static TheoryData<string, string, float, float> NearestCases()
    {
        var data = new TheoryData<string, string, float, float>();
        foreach (var transform in Transforms)
        {
            foreach (var rounding in new[] { "round_prefer_floor", "round_prefer_ceil", "floor", "ceil" })
            {
                data.Add(transform, rounding, 2f, 3f);

                // For align_corners only whole products of scale and size (see InterpolatingCases).
                data.Add(transform, rounding, transform == "align_corners" ? 3f : 0.6f, transform == "align_corners" ? 1f : 1.7f);
            }
        }

        return data;
    }

    public static TheoryData<string, string, float, float> InterpolatingCases()
    {
        var data = new TheoryData<string, string, float, float>();
        foreach (var mode in new[] { "linear", "cubic" })
        {
            foreach (var transform in Transforms.Where(t => t != "tf_half_pixel_for_nn"))
            {
                data.Add(mode, transform, 2f, 2f);
                data.Add(mode, transform, 3f, transform == "align_corners" ? 1f : 0.75f);

                // align_corners with scales divides by scale x size unfloored (the ONNX specification), ONNX Runtime
                // by the floored size: they agree only where the product is whole (8 x 0.5, 11 x 1.3 = 14.3 is not).
                data.Add(mode, transform, 0.5f, transform == "align_corners" ? 2f : 1.3f);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NearestCases))]
    public void NearestWithScales(string transform, string rounding, float scaleH, float scaleW)
    {
        int[] shape = [2, 3, 7, 9];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var roi = b.Initializer("roi", [0], []);
        var scales = b.Initializer("scales", [4], [1f, 1f, scaleH, scaleW]);
        int[] outShape = [2, 3, (int)(7 * scaleH), (int)(9 * scaleW)];
        Check(b, b.Node("Resize", "resize", [x, roi, scales], outShape, String("mode", "nearest"), String("coordinate_transformation_mode", transform), String("nearest_mode", rounding)), shape);
    }

    [Theory]
    [MemberData(nameof(InterpolatingCases))]
    public void InterpolatingWithScales(string mode, string transform, float scaleH, float scaleW)
    {
        int[] shape = [1, 2, 8, 11];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var scales = b.Initializer("scales", [4], [1f, 1f, scaleH, scaleW]);
        int[] outShape = [1, 2, (int)(8 * scaleH), (int)(11 * scaleW)];
        Check(b, b.Node("Resize", "resize", [x, string.Empty, scales], outShape, String("mode", mode), String("coordinate_transformation_mode", transform)), shape);
    }

    [Theory]
    [InlineData("linear", 0)]
    [InlineData("cubic", 0)]
    [InlineData("cubic", 1)]
    [InlineData("nearest", 0)]
    public void SizesAtOddRatios(string mode, int excludeOutside)
    {
        int[] shape = [1, 3, 13, 10];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var sizes = b.IntegerInitializer("sizes", [1, 3, 29, 7]);
        Check(b, b.Node("Resize", "resize", [x, string.Empty, string.Empty, sizes], [1, 3, 29, 7], String("mode", mode), Int("exclude_outside", excludeOutside), Float("cubic_coeff_a", -0.5f)), shape);
    }

    [Theory]
    [InlineData("nearest")]
    [InlineData("linear")]
    [InlineData("cubic")]
    public void TfCropAndResizeWithExtrapolation(string mode)
    {
        int[] shape = [1, 2, 9, 8];
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", shape);
        var roi = b.Initializer("roi", [8], [0f, 0f, -0.23f, 0.31f, 1f, 1f, 0.71f, 1.17f]);
        var sizes = b.IntegerInitializer("sizes", [1, 2, 6, 10]);
        var y = b.Node("Resize", "resize", [x, roi, string.Empty, sizes], [1, 2, 6, 10],
            String("mode", mode), String("coordinate_transformation_mode", "tf_crop_and_resize"), Float("extrapolation_value", 7.5f));
        Check(b, y, shape);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("nearest")]
    public void HalfPixelSymmetricAtOpset19(string mode)
    {
        int[] shape = [1, 2, 5, 7];
        var b = new OnnxGraphBuilder(opset: 19);
        var x = b.Input("x", shape);
        var scales = b.Initializer("scales", [4], [1f, 1f, 2.5f, 0.8f]);
        Check(b, b.Node("Resize", "resize", [x, string.Empty, scales], [1, 2, 12, 5], String("mode", mode), String("coordinate_transformation_mode", "half_pixel_symmetric")), shape);
    }

    [Theory]
    [InlineData("stretch", new[] { 1, 2, 11, 6 })]
    [InlineData("not_larger", new[] { 1, 2, 8, 6 })]
    [InlineData("not_smaller", new[] { 1, 2, 11, 8 })]
    public void AxesAndKeepAspectRatioAtOpset18(string policy, int[] outShape)
    {
        int[] shape = [1, 2, 8, 6];
        var b = new OnnxGraphBuilder(opset: 18);
        var x = b.Input("x", shape);
        var sizes = b.IntegerInitializer("sizes", [6, 11]);
        var y = b.Node("Resize", "resize", [x, string.Empty, string.Empty, sizes], outShape,
            String("mode", "linear"), Ints("axes", 3, 2), String("keep_aspect_ratio_policy", policy));
        Check(b, y, shape);
    }

    [Theory]
    [InlineData("nearest")]
    [InlineData("linear")]
    public void Opset10ResizeSamplesAsymmetrically(string mode)
    {
        int[] shape = [1, 2, 5, 6];
        var b = new OnnxGraphBuilder(opset: 10);
        var x = b.Input("x", shape);
        var scales = b.Initializer("scales", [4], [1f, 1f, 2.5f, 0.5f]);
        Check(b, b.Node("Resize", "resize", [x, scales], [1, 2, 12, 3], String("mode", mode)), shape);
    }

    [Theory]
    [InlineData(7, "nearest")]
    [InlineData(7, "linear")]
    [InlineData(9, "nearest")]
    [InlineData(9, "linear")]
    public void Upsample(int opset, string mode)
    {
        int[] shape = [2, 3, 4, 5];
        var b = new OnnxGraphBuilder(opset: opset);
        var x = b.Input("x", shape);
        float[] scales = [1f, 1f, 2f, 3f];
        var y = opset < 9
            ? b.Node("Upsample", "up", [x], [2, 3, 8, 15], String("mode", mode), Floats("scales", scales))
            : b.Node("Upsample", "up", [x, b.Initializer("scales", [4], scales)], [2, 3, 8, 15], String("mode", mode));
        Check(b, y, shape);
    }

    [Theory]
    [InlineData("nearest")]
    [InlineData("linear")]
    public void OneDimensionalAndFiveDimensional(string mode)
    {
        var b = new OnnxGraphBuilder(opset: 13);
        var x = b.Input("x", [2, 3, 10]);
        var scales = b.Initializer("scales", [3], [1f, 1f, 1.5f]);
        Check(b, b.Node("Resize", "resize", [x, string.Empty, scales], [2, 3, 15], String("mode", mode)), [2, 3, 10]);

        var b5 = new OnnxGraphBuilder(opset: 13);
        var x5 = b5.Input("x", [1, 2, 3, 4, 5]);
        var scales5 = b5.Initializer("scales", [5], [1f, 1f, 2f, 1.5f, 0.6f]);
        Check(b5, b5.Node("Resize", "resize", [x5, string.Empty, scales5], [1, 2, 6, 6, 3], String("mode", mode)), [1, 2, 3, 4, 5]);
    }

    [Fact]
    public void WideRowsTakeTheVectorPathsAndStillMatch()
    {
        int[] shape = [1, 4, 19, 70];
        foreach (var mode in new[] { "nearest", "linear", "cubic" })
        {
            var b = new OnnxGraphBuilder(opset: 13);
            var x = b.Input("x", shape);
            var scales = b.Initializer("scales", [4], [1f, 1f, 2f, 2f]);
            Check(b, b.Node("Resize", "resize", [x, string.Empty, scales], [1, 4, 38, 140], String("mode", mode)), shape);
        }
    }

    public static TheoryData<string, string, int, float, float> AntialiasCases()
    {
        var data = new TheoryData<string, string, int, float, float>();
        foreach (var mode in new[] { "linear", "cubic" })
        {
            foreach (var exclude in new[] { 0, 1 })
            {
                // Halving, strong and mild shrinking, unequal factors, and one axis growing (no antialiasing on it).
                data.Add(mode, "half_pixel", exclude, 0.5f, 0.5f);
                data.Add(mode, "half_pixel", exclude, 0.25f, 0.2f);
                data.Add(mode, "half_pixel", exclude, 0.75f, 0.6f);
                data.Add(mode, "half_pixel", exclude, 0.34f, 1.5f);
                data.Add(mode, "pytorch_half_pixel", exclude, 0.3f, 0.45f);
                data.Add(mode, "asymmetric", exclude, 0.4f, 0.5f);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AntialiasCases))]
    public void AntialiasWhenShrinking(string mode, string transform, int excludeOutside, float scaleH, float scaleW)
    {
        int[] shape = [1, 3, 23, 41];
        var b = new OnnxGraphBuilder(opset: 18);
        var x = b.Input("x", shape);
        var scales = b.Initializer("scales", [4], [1f, 1f, scaleH, scaleW]);
        int[] outShape = [1, 3, (int)(23 * scaleH), (int)(41 * scaleW)];
        Check(b, b.Node("Resize", "resize", [x, string.Empty, scales], outShape, String("mode", mode), Int("antialias", 1),
            String("coordinate_transformation_mode", transform), Int("exclude_outside", excludeOutside)), shape);
    }

    [Theory]
    [InlineData("linear", "not_larger", new[] { 1, 2, 9, 7 })]
    [InlineData("cubic", "not_smaller", new[] { 1, 2, 14, 11 })]
    [InlineData("linear", "stretch", new[] { 1, 2, 14, 7 })]
    public void AntialiasWithSizesAxesAndKeepAspectRatio(string mode, string policy, int[] outShape)
    {
        int[] shape = [1, 2, 40, 31];
        var b = new OnnxGraphBuilder(opset: 18);
        var x = b.Input("x", shape);
        var sizes = b.IntegerInitializer("sizes", [7, 14]);
        var y = b.Node("Resize", "resize", [x, string.Empty, string.Empty, sizes], outShape,
            String("mode", mode), Int("antialias", 1), Ints("axes", 3, 2), String("keep_aspect_ratio_policy", policy));
        Check(b, y, shape);
    }

    [Fact]
    public void AntialiasOnWideRowsMatches()
    {
        // Rows wide enough that the vertical blend runs whole vectors at every width.
        int[] shape = [1, 2, 48, 160];
        foreach (var mode in new[] { "linear", "cubic" })
        {
            var b = new OnnxGraphBuilder(opset: 18);
            var x = b.Input("x", shape);
            var scales = b.Initializer("scales", [4], [1f, 1f, 0.5f, 0.8f]);
            Check(b, b.Node("Resize", "resize", [x, string.Empty, scales], [1, 2, 24, 128], String("mode", mode), Int("antialias", 1)), shape);
        }
    }

    private static AttributeProto Floats(string name, float[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    private static void Check(OnnxGraphBuilder b, string output, int[] inputShape)
    {
        b.Output(output);
        EngineRunner.AssertMatchesOrt(b.ToBytes(), inputShape, seed: 5, tolerance: 1e-5);
    }
}
