using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>
/// GridSample against ONNX Runtime: every mode under both spellings (opset 16 and 20), every padding, with and
/// without align_corners, on grids that reach past the image so the padding is read.
/// </summary>
public sealed class GridSampleOracleTests
{
    public static TheoryData<string, string, int, int> Cases()
    {
        var cases = new TheoryData<string, string, int, int>();
        foreach (var (mode, opset) in new[] { ("bilinear", 16), ("nearest", 16), ("bicubic", 16), ("linear", 20), ("cubic", 20), ("nearest", 20) })
        {
            foreach (var padding in new[] { "zeros", "border", "reflection" })
            {
                foreach (var align in new[] { 0, 1 })
                {
                    cases.Add(mode, padding, align, opset);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SamplesAtAConstantGrid(string mode, string padding, int alignCorners, int opset)
    {
        int[] shape = [2, 3, 5, 6];
        var b = new OnnxGraphBuilder(seed: 21, opset: opset);
        var x = b.Input("x", shape);
        var grid = b.Initializer("grid", [2, 4, 7, 2], b.RandomValues(2 * 4 * 7 * 2, 1.6f));
        var y = b.Node("GridSample", "sample", [x, grid], [2, 3, 4, 7], String("mode", mode), String("padding_mode", padding), Int("align_corners", alignCorners));
        b.Output(y);
        EngineRunner.AssertMatchesOrt(b.ToBytes(), shape, seed: 3, tolerance: 1e-5);
    }

    [Theory]
    [InlineData("bilinear", "reflection")]
    [InlineData("bicubic", "border")]
    [InlineData("nearest", "zeros")]
    public void SamplesAConstantImageAtARuntimeGrid(string mode, string padding)
    {
        int[] shape = [1, 3, 4, 2];
        var b = new OnnxGraphBuilder(seed: 22, opset: 16);
        var grid = b.Input("grid", shape);
        var scaled = b.Node("Mul", "spread", [grid, b.Initializer("factor", [], [1.4f])], shape);
        var image = b.Initializer("image", [1, 2, 6, 5], b.RandomValues(60, 1f));
        b.Output(b.Node("GridSample", "sample", [image, scaled], [1, 2, 3, 4], String("mode", mode), String("padding_mode", padding)));
        EngineRunner.AssertMatchesOrt(b.ToBytes(), shape, seed: 4, tolerance: 1e-5);
    }

    [Fact]
    public void VolumetricSamplingIsRefusedNamingTheNode()
    {
        var b = new OnnxGraphBuilder(opset: 20);
        var x = b.Input("x", [1, 1, 2, 3, 4]);
        var grid = b.Initializer("grid", [1, 2, 2, 2, 3], new float[24]);
        b.Output(b.Node("GridSample", "volume", [x, grid], [1, 1, 2, 2, 2]));
        var error = Assert.Throws<ConvServiceException>(() => OnnxModel.Load(b.ToBytes()));
        Assert.Contains("'volume' (GridSample)", error.Message);
        Assert.Contains("only 2-D sampling", error.Message);
    }
}
