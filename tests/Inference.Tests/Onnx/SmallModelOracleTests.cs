using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>Small models built in the test, run by our engine and by ONNX Runtime on the same seeded input.</summary>
public sealed class SmallModelOracleTests
{
    [Fact]
    public void SingleConvMatches()
    {
        var b = new OnnxGraphBuilder(seed: 1);
        var x = b.Input("x", [1, 3, 11, 13]);
        b.Output(b.Conv(x, 5, 3, stride: 2, pad: 1));
        EngineRunner.AssertMatchesOrt(b.ToBytes(), [1, 3, 11, 13]);
    }

    [Fact]
    public void ConvBatchNormReluMatchesAndIsFusedIntoOneLayer()
    {
        var b = new OnnxGraphBuilder(seed: 2);
        var x = b.Input("x", [2, 4, 9, 9]);
        b.Output(b.Relu(b.BatchNorm(b.Conv(x, 6, 3, pad: 1, name: "conv")), name: "relu"));
        var model = b.ToBytes();
        EngineRunner.AssertMatchesOrt(model, [2, 4, 9, 9]);

        var layer = Assert.Single(OnnxModel.Load(model).Layers);
        Assert.Equal("Conv+BatchNormalization+Relu", layer.OpType);
        Assert.Equal([2, 6, 9, 9], layer.OutputShape);
    }
}
