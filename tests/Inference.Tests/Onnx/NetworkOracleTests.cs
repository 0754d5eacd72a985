using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Onnx;

/// <summary>Whole classic networks with seeded random weights: our engine against ONNX Runtime.</summary>
public sealed class NetworkOracleTests
{
    [Fact]
    public void LeNet5Matches() => EngineRunner.AssertMatchesOrt(NetworkZoo.LeNet5(batch: 2), [2, 1, 32, 32]);

    [Fact]
    public void AlexNetQuarterWidthMatches() => EngineRunner.AssertMatchesOrt(NetworkZoo.AlexNetQuarter(), [1, 3, 99, 99]);

    [Fact]
    public void Vgg11QuarterWidthMatches() => EngineRunner.AssertMatchesOrt(NetworkZoo.Vgg11Quarter(batch: 2), [2, 3, 32, 32]);

    [Fact]
    public void GoogLeNetQuarterWidthMatches() => EngineRunner.AssertMatchesOrt(NetworkZoo.GoogLeNetQuarter(), [1, 3, 64, 64]);

    /// <summary>53 convolutions deep with random weights: rounding differences grow with depth to a few 1e-4 (measured 4.3e-4 on an output of 2.1), so the bar is 1e-3, still far below any wrong layer.</summary>
    [Fact]
    public void ResNet50QuarterWidthMatches() => EngineRunner.AssertMatchesOrt(NetworkZoo.ResNet50Quarter(), [1, 3, 64, 64], tolerance: 1e-3);

    [Fact]
    public void ResNet50FoldsEveryBatchNormalizationAndResidualAddIntoItsConvolution()
    {
        var model = OnnxModel.Load(NetworkZoo.ResNet50Quarter());
        Assert.DoesNotContain(model.Layers, l => l.OpType == "BatchNormalization");
        Assert.Equal(53, model.Layers.Count(l => l.OpType.StartsWith("Conv+BatchNormalization", StringComparison.Ordinal)));
        Assert.Equal(16, model.Layers.Count(l => l.OpType == "Conv+BatchNormalization+Add+Relu"));
        Assert.DoesNotContain(model.Layers, l => l.OpType.StartsWith("Add", StringComparison.Ordinal));
        Assert.DoesNotContain(model.Layers, l => l.OpType == "Relu");
    }
}
