using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>RoiAlign against ONNX Runtime: both modes, both pixel conventions, fixed and adaptive sampling, regions reaching past the image.</summary>
public sealed class RoiAlignOracleTests
{
    [Theory]
    [InlineData("avg", "half_pixel", 0, 1f, 16)]
    [InlineData("max", "half_pixel", 2, 0.5f, 16)]
    [InlineData("avg", "output_half_pixel", 2, 0.5f, 16)]
    [InlineData("max", "output_half_pixel", 0, 1f, 16)]
    [InlineData("avg", null, 0, 1f, 10)]
    [InlineData("max", null, 3, 0.75f, 10)]
    public void PoolsEachRegionOfARuntimeImage(string mode, string? transform, int samplingRatio, float spatialScale, int opset)
    {
        int[] shape = [2, 3, 8, 10];
        var b = new OnnxGraphBuilder(opset: opset);
        var x = b.Input("x", shape);
        var rois = b.Initializer("rois", [5, 4], Regions(5, spatialScale, seed: 101));
        var indices = b.IntegerInitializer("batch_indices", [0, 1, 1, 0, 1]);
        var attributes = new List<AttributeProto> { String("mode", mode), Int("output_height", 3), Int("output_width", 4), Int("sampling_ratio", samplingRatio), Float("spatial_scale", spatialScale) };
        if (transform is not null)
        {
            attributes.Add(String("coordinate_transformation_mode", transform));
        }

        b.Output(b.Node("RoiAlign", "align", [x, rois, indices], [5, 3, 3, 4], [.. attributes]));
        EngineRunner.AssertMatchesOrt(b.ToBytes(), shape, seed: 3, tolerance: 1e-5);
    }

    [Fact]
    public void RegionsMayBeComputedAtRunTime()
    {
        int[] shape = [3, 4];
        var b = new OnnxGraphBuilder(seed: 12, opset: 16);
        var offsets = b.Input("offsets", shape);
        var rois = b.Node("Add", "place", [b.Initializer("base", [3, 4], [1f, 1f, 5f, 4f, 0f, 2f, 6f, 7f, 2f, 0f, 3f, 6f]), offsets], shape);
        var image = b.Initializer("image", [1, 2, 7, 6], b.RandomValues(84, 1f));
        b.Output(b.Node("RoiAlign", "align", [image, rois, b.IntegerInitializer("batch_indices", [0, 0, 0])], [3, 2, 2, 2], Int("output_height", 2), Int("output_width", 2)));
        EngineRunner.AssertMatchesOrt(b.ToBytes(), shape, seed: 5, tolerance: 1e-5);
    }

    [Fact]
    public void ABatchIndexOutsideTheBatchIsRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder(opset: 16);
        var x = b.Input("x", [1, 1, 4, 4]);
        b.Output(b.Node("RoiAlign", "align", [x, b.Initializer("rois", [1, 4], [0f, 0f, 2f, 2f]), b.IntegerInitializer("batch_indices", [1])], [1, 1, 1, 1]));
        var error = Assert.Throws<ConvServiceException>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("'align' (RoiAlign)", error.Message);
        Assert.Contains("batch index is outside", error.Message);
    }

    /// <summary>Boxes (x1, y1, x2, y2) in image coordinates over spatial_scale, some reaching past the 10 x 8 image.</summary>
    private static float[] Regions(int count, float spatialScale, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * 4];
        for (var r = 0; r < count; r++)
        {
            var x1 = (float)((random.NextDouble() * 11) - 1.5);
            var y1 = (float)((random.NextDouble() * 9) - 1.5);
            values[(r * 4) + 0] = x1 / spatialScale;
            values[(r * 4) + 1] = y1 / spatialScale;
            values[(r * 4) + 2] = (x1 + (float)(random.NextDouble() * 6) + 0.2f) / spatialScale;
            values[(r * 4) + 3] = (y1 + (float)(random.NextDouble() * 5) + 0.2f) / spatialScale;
        }

        return values;
    }
}
