using ConvService.Contracts.Networks;
using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;

namespace ConvService.Inference.Tests.Networks;

/// <summary>ResNet parameter counts as torchvision counts them, and the paper's multiply-adds at 224x224.</summary>
public sealed class ResNetLectureTests
{
    [Theory]
    [InlineData("resnet18", 11_689_512)]
    [InlineData("resnet34", 21_797_672)]
    [InlineData("resnet50", 25_557_032)]
    [InlineData("resnet101", 44_549_160)]
    [InlineData("resnet152", 60_192_808)]
    public void ParametersMatchTorchvisionIncludingBatchNormScaleAndShift(string name, long parameters) =>
        Assert.Equal(parameters, NetworkAnalyzer.Analyze(BuiltInNetworks.Get(name)).Totals.Parameters);

    [Theory]
    [InlineData("resnet18", 1.8)]
    [InlineData("resnet34", 3.6)]
    [InlineData("resnet50", 3.8)]
    [InlineData("resnet101", 7.6)]
    [InlineData("resnet152", 11.3)]
    public void PaperFormMultiplyAddsInBillions(string name, double billions)
    {
        var macs = NetworkAnalyzer.Analyze(BuiltInNetworks.Get(name)).Totals.Macs / 1e9;
        Assert.True(Math.Abs(macs - billions) <= 0.03 * billions, $"{name}: {macs:F3} G vs paper {billions} G");
    }

    /// <summary>
    /// ResNet-18's multiply-adds summed by hand from its layers: the stem, four stages of 3x3 convolutions, the 1x1
    /// projections where a stage halves the size, and the classifier. Pools, batch norms and additions cost none.
    /// </summary>
    [Fact]
    public void ResNet18IsExactly1814073344MultiplyAdds()
    {
        static long Conv(long k, long cin, long cout, long side) => k * k * cin * cout * side * side;
        var stem = Conv(7, 3, 64, 112);
        var stage1 = 4 * Conv(3, 64, 64, 56);
        long Stage(long cin, long cout, long side) => Conv(3, cin, cout, side) + (3 * Conv(3, cout, cout, side)) + Conv(1, cin, cout, side);
        var expected = stem + stage1 + Stage(64, 128, 28) + Stage(128, 256, 14) + Stage(256, 512, 7) + (512 * 1000);
        Assert.Equal(1_814_073_344, expected);
        Assert.Equal(expected, NetworkAnalyzer.Analyze(BuiltInNetworks.Get("resnet18")).Totals.Macs);
    }

    [Theory]
    [InlineData("resnet50", 4.1)]
    [InlineData("resnet101", 7.8)]
    [InlineData("resnet152", 11.5)]
    public void TorchvisionV15PutsTheStrideOnTheThreeByThreeAndCostsMore(string name, double billions)
    {
        var spec = BuiltInNetworks.Get(name);
        var v15 = NetworkAnalyzer.Analyze(spec, new NetworkOptions(ResNetVariant: ResNetVariant.V1_5)).Totals;
        var paper = NetworkAnalyzer.Analyze(spec).Totals;
        Assert.True(Math.Abs(v15.Macs / 1e9 - billions) <= 0.03 * billions, $"{name}: {v15.Macs / 1e9:F3} G vs {billions} G");
        Assert.True(v15.Macs > paper.Macs);
        Assert.Equal(paper.Parameters, v15.Parameters);
    }

    [Fact]
    public void BasicVariantDoesNotChangeBasicBlocks() =>
        Assert.Equal(
            NetworkAnalyzer.Analyze(BuiltInNetworks.Get("resnet18")).Totals.Macs,
            NetworkAnalyzer.Analyze(BuiltInNetworks.Get("resnet18"), new NetworkOptions(ResNetVariant: ResNetVariant.V1_5)).Totals.Macs);

    [Fact]
    public void StagesEndAt56_28_14_7AndTheProjectionOnlyWhereTheShapeChanges()
    {
        var report = NetworkAnalyzer.Analyze(BuiltInNetworks.Get("resnet50"));
        Assert.Equal("56x56x256", report.Layers.Single(l => l.Name == "layer1.2").OutputShape);
        Assert.Equal("28x28x512", report.Layers.Single(l => l.Name == "layer2.3").OutputShape);
        Assert.Equal("14x14x1024", report.Layers.Single(l => l.Name == "layer3.5").OutputShape);
        Assert.Equal("7x7x2048", report.Layers.Single(l => l.Name == "layer4.2").OutputShape);
        Assert.Contains(report.Layers, l => l.Name == "layer1.0/downsample.conv");
        Assert.DoesNotContain(report.Layers, l => l.Name == "layer1.1/downsample.conv");
        Assert.Contains(report.Layers, l => l.Name == "layer2.0/downsample.conv");
    }

    [Fact]
    public void BatchNormScaleAndShiftAreCountedAsWeightsAndBiases()
    {
        var bn1 = NetworkAnalyzer.Analyze(BuiltInNetworks.Get("resnet18")).Layers.Single(l => l.Name == "bn1");
        Assert.Equal(64, bn1.Weights);
        Assert.Equal(64, bn1.Biases);
        Assert.Contains("scale 64 + shift 64", bn1.ParameterFormula);
        Assert.Contains(NetworkAnalyzer.Notes, n => n.Contains("BatchNorm", StringComparison.Ordinal));
    }
}
