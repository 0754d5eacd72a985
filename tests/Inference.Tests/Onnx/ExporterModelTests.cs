using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>
/// Models in the shapes exporters write (ExporterModels/generate_models.py, onnx.helper), against ONNX Runtime at
/// several input sizes: symbolic height and width, the Shape-Gather-Reshape head, and files at opsets 9 and 6.
/// </summary>
public sealed class ExporterModelTests
{
    private static byte[] Model(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "ExporterModels", file));

    private static void AssertMatchesOrt(string file, int[] shape, string? referenceFile = null)
    {
        var model = OnnxModel.Load(Model(file));
        var input = Accuracy.Random(shape.Aggregate(1, (p, d) => p * d), seed: shape.Sum());
        using var session = model.CreateSession([shape]);
        session.Run(input);
        var actual = session.Output(model.Outputs[0].Name).ToArray();
        var expected = OrtOracle.Run(Model(referenceFile ?? file), input, shape);
        Accuracy.AssertClose(expected, actual, 1e-4);
    }

    [Theory]
    [InlineData(1, 32, 32)]
    [InlineData(2, 45, 61)]
    [InlineData(1, 64, 48)]
    [InlineData(3, 17, 9)]
    public void MobileNetV2WithDynamicHeightAndWidth(int batch, int height, int width) =>
        AssertMatchesOrt("mobilenetv2_dynamic.onnx", [batch, 3, height, width]);

    [Fact]
    public void OneModelRunsSeveralSizesInTurnAndKeepsOldSessionsWorking()
    {
        // Convolutions are packed per geometry: a plan for a new size must never reuse another size's packing.
        var bytes = Model("mobilenetv2_dynamic.onnx");
        var model = OnnxModel.Load(bytes, new EngineOptions { MaxPlansPerModel = 2 });
        int[][] shapes = [[1, 3, 32, 32], [2, 3, 45, 61], [1, 3, 20, 28], [1, 3, 32, 32]];
        using var first = model.CreateSession([shapes[0]]);
        foreach (var shape in shapes)
        {
            var input = Accuracy.Random(shape.Aggregate(1, (p, d) => p * d), seed: shape.Sum());
            using var session = model.CreateSession([shape]);
            session.Run(input);
            Accuracy.AssertClose(OrtOracle.Run(bytes, input, shape), session.Output("logits"), 1e-4);
        }

        // The first session's plan left the cache long ago; the session still owns it.
        var again = Accuracy.Random(3 * 32 * 32, seed: 5);
        first.Run(again);
        Accuracy.AssertClose(OrtOracle.Run(bytes, again, shapes[0]), first.Output("logits"), 1e-4);
    }

    [Fact]
    public void MobileNetV2ListsOpenDimensionsAsMinusOne()
    {
        var model = OnnxModel.Load(Model("mobilenetv2_dynamic.onnx"));
        Assert.Equal([1, 3, -1, -1], model.Inputs[0].Shape);
        Assert.Equal("batch", model.Inputs[0].BatchSymbol);
        Assert.True(model.Inputs[0].IsDynamic);
        Assert.Equal(-1, model.Inputs[0].ElementsPerImage);
        Assert.Equal([1, 10], model.Outputs[0].Shape);
        Assert.True(model.HasDynamicInputs);
        Assert.DoesNotContain(model.Layers, l => l.OpType is "Shape" or "Gather" or "Cast" or "Slice" or "Concat" or "Unsqueeze");
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(23, 30)]
    public void Opset9File(int height, int width) => AssertMatchesOrt("opset9_cnn.onnx", [2, 3, height, width]);

    [Theory]
    [InlineData(10, 10)]
    [InlineData(13, 21)]
    public void Opset6FileAgainstItsOpset11Conversion(int height, int width) =>
        AssertMatchesOrt("opset6_cnn.onnx", [1, 3, height, width], "opset6_cnn_as_opset11.onnx");

    [Fact]
    public void PlansAreCachedPerShapeUpToTheLimit()
    {
        var model = OnnxModel.Load(Model("mobilenetv2_dynamic.onnx"), new EngineOptions { MaxPlansPerModel = 3 });
        foreach (var size in new[] { 20, 24, 28, 32, 20 })
        {
            using var session = model.CreateSession([[1, 3, size, size]]);
            Assert.Equal([1, 3, size, size], session.Inputs[0].Shape);
            Assert.True(model.CachedPlanCount <= 3);
        }

        Assert.Equal(3, model.CachedPlanCount);
    }

    [Fact]
    public void ShapesOutsideTheModelAreRefusedAsBadRequests()
    {
        var model = OnnxModel.Load(Model("mobilenetv2_dynamic.onnx"), new EngineOptions { MaxElementsPerTensor = 1 << 20 });
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<ConvServiceException>(() => model.CreateSession(1)).Kind);
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<ConvServiceException>(() => model.CreateSession([[1, 4, 32, 32]])).Kind);
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<ConvServiceException>(() => model.CreateSession([[1, 3, 32]])).Kind);
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<ConvServiceException>(() => model.CreateSession([[1, 3, 0, 32]])).Kind);
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<ConvServiceException>(() => model.CreateSession([[1, 3, 32, 32], [1]])).Kind);
        var tooLarge = Assert.Throws<ConvServiceException>(() => model.CreateSession([[1, 3, 1024, 1024]]));
        Assert.Equal(ErrorKind.OverLimit, tooLarge.Kind);
        Assert.Contains("MaxElementsPerTensor", tooLarge.Message);
    }

    [Fact]
    public void PlanLimitIsValidated() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxModel.Load(Model("opset9_cnn.onnx"), new EngineOptions { MaxPlansPerModel = 0 }));
}
