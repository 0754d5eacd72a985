using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>Segmentation and text-detection models in the shapes exporters emit, against ONNX Runtime at two input sizes each.</summary>
public sealed class ExporterShapedModelTests
{
    [Theory]
    [InlineData(32, 32)]
    [InlineData(48, 72)]
    public void UNetDecoderWithConvTransposeAndResize(int height, int width)
    {
        var model = ExporterModels.UNetDecoder(height, width);
        var layers = OnnxModel.Load(model).Layers;
        Assert.Contains(layers, l => l.OpType == "ConvTranspose");
        Assert.Contains(layers, l => l.OpType == "Resize");
        Assert.Equal([1, 2, height, width], layers[^1].OutputShape);
        EngineRunner.AssertMatchesOrt(model, [1, 3, height, width], seed: 8, tolerance: 1e-4);
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(96, 160)]
    public void TextDetectorHeadWithResizeConcatAndSigmoid(int height, int width)
    {
        var model = ExporterModels.TextDetectorHead(height, width);
        var layers = OnnxModel.Load(model).Layers;
        Assert.Equal(6, layers.Count(l => l.OpType == "Resize"));
        Assert.Equal([1, 1, height, width], layers[^1].OutputShape);
        EngineRunner.AssertMatchesOrt(model, [1, 3, height, width], seed: 9, tolerance: 1e-4);
    }
}
