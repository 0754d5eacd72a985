using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;
using ConvService.Inference.Networks;

namespace ConvService.Inference.Tests.Networks;

public sealed class BlockTests
{
    [Fact]
    public void InceptionConcatenatesItsFourBranches()
    {
        var report = NetworkAnalyzer.Analyze(new NetworkSpec
        {
            Input = [192, 28, 28],
            Layers = [new InceptionLayerSpec { OneByOne = 64, ThreeByThreeReduce = 96, ThreeByThree = 128, FiveByFiveReduce = 16, FiveByFive = 32, PoolProjection = 32 }],
        });
        var block = report.Layers[1];
        Assert.Equal(("inception1", "inception", true), (block.Name, block.Type, block.IsBlock));
        Assert.Equal("28x28x256", block.OutputShape);
        Assert.Equal("64 + 128 + 32 + 32 = 256 channels at 28x28: 28x28x256", block.Formula);
        Assert.Equal(163_328 + 64 + 96 + 128 + 16 + 32 + 32, block.Parameters);
        Assert.Equal(report.Totals.Parameters, block.Parameters); // inner rows are not counted twice
        Assert.Contains(report.Layers, l => l.Name == "inception1/5x5_reduce" && l.Level == 1 && l.Index == "0.2.0");
    }

    [Fact]
    public void ResidualWithoutProjectionCannotChangeDepth()
    {
        var e = Assert.Throws<ConvServiceException>(() => NetworkAnalyzer.Analyze(new NetworkSpec
        {
            Input = [16, 8, 8],
            Layers = [new ResidualLayerSpec { Name = "block", Filters = 32, Projection = false }],
        }));
        Assert.Equal("Channel mismatch in add", e.Title);
        Assert.Contains("layers[0] ('block')", e.Message);
    }

    [Fact]
    public void ResidualProjectsWhenTheDepthChangesAndEndsWithReluAfterTheAdd()
    {
        var report = NetworkAnalyzer.Analyze(new NetworkSpec
        {
            Input = [16, 8, 8],
            Layers = [new ResidualLayerSpec { Name = "block", Filters = 32 }],
        });
        Assert.Equal("8x8x32", report.OutputShape);
        Assert.Contains(report.Layers, l => l.Name == "block/downsample.conv" && l.Weights == 16 * 32);
        Assert.Equal("block/relu", report.Layers[^1].Name);
        Assert.Equal("0.after.0", report.Layers[^1].Index);
    }

    [Fact]
    public void StridedResidualOnAnEvenSizeNeedsFitFloor()
    {
        var spec = new NetworkSpec { Input = [16, 8, 8], Layers = [new ResidualLayerSpec { Filters = 16, Stride = 2 }] };
        Assert.Equal("Stride does not fit", Assert.Throws<ConvServiceException>(() => NetworkAnalyzer.Analyze(spec)).Title);
        Assert.Equal("4x4x16", NetworkAnalyzer.Analyze(spec with { Fit = FitMode.Floor }).OutputShape);
    }

    [Fact]
    public void GlobalPoolFlattenFcAndNormalisationLayers()
    {
        var report = NetworkAnalyzer.Analyze(new NetworkSpec
        {
            Input = [8, 5, 7],
            Layers =
            [
                new LrnLayerSpec(), new BatchNormLayerSpec { Affine = false }, new ActivationLayerSpec { Function = ActivationFunction.Tanh },
                new GlobalPoolLayerSpec(), new FlattenLayerSpec(), new FcLayerSpec { Units = 3, Bias = false },
            ],
        });
        Assert.Equal([0L, 0, 0, 0, 0, 24], report.Layers.Skip(1).Select(l => l.Parameters));
        Assert.Equal(["5x7x8", "5x7x8", "5x7x8", "1x1x8", "1x1x8", "1x1x3"], report.Layers.Skip(1).Select(l => l.OutputShape));
        Assert.Equal((5L, 7L), (report.Layers[4].ReceptiveFieldHeight, report.Layers[4].ReceptiveFieldWidth));
        Assert.Equal(24, report.Totals.Macs);
        Assert.Equal(48, report.Totals.Flops);
    }

    [Fact]
    public void DropoutRateMustBeBelowOne()
    {
        var e = Assert.Throws<ConvServiceException>(() => NetworkAnalyzer.Analyze(new NetworkSpec { Input = [1, 2, 2], Layers = [new DropoutLayerSpec { Rate = 1 }] }));
        Assert.Equal("Invalid dropout rate", e.Title);
    }
}
