using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;
using ConvService.Inference.Networks;

namespace ConvService.Inference.Tests.Networks;

public sealed class ValidationTests
{
    private static ConvServiceException Refuse(NetworkSpec spec, NetworkOptions? options = null) =>
        Assert.Throws<ConvServiceException>(() => NetworkAnalyzer.Analyze(spec, options));

    [Fact]
    public void OutputThatShrinksBelowZeroIsRefusedNamingTheLayer()
    {
        var e = Refuse(new NetworkSpec
        {
            Input = [3, 8, 8],
            Layers = [new PoolLayerSpec { Size = 2 }, new ConvLayerSpec { Name = "big", Filters = 4, Size = 5 }],
        });
        Assert.Equal(ErrorKind.DoesNotFit, e.Kind);
        Assert.Equal("Output shrinks to nothing", e.Title);
        Assert.Contains("layers[1] ('big')", e.Message);
        Assert.Contains("(4 - 5)/1 + 1 = 0", e.Message);
    }

    [Theory]
    [InlineData(0, 3, 1)]
    [InlineData(-2, 3, 1)]
    [InlineData(4, 0, 1)]
    [InlineData(4, 3, 0)]
    public void ZeroOrNegativeSizesAreRefused(int filters, int size, int stride)
    {
        var e = Refuse(new NetworkSpec { Input = [3, 8, 8], Layers = [new ConvLayerSpec { Filters = filters, Size = size, Stride = stride }] });
        Assert.Equal("Invalid layer size", e.Title);
        Assert.Contains("layers[0] ('conv1')", e.Message);
    }

    [Fact]
    public void NegativeInputIsRefused() =>
        Assert.Equal("Invalid input shape", Refuse(new NetworkSpec { Input = [3, -1, 8], Layers = [] }).Title);

    [Fact]
    public void ChannelMismatchInAddNamesBothShapes()
    {
        var e = Refuse(new NetworkSpec
        {
            Input = [16, 8, 8],
            Layers =
            [
                new ReluLayerSpec(),
                new BranchesLayerSpec
                {
                    Name = "res",
                    Merge = MergeMode.Add,
                    Branches = [[new ConvLayerSpec { Filters = 32, Size = 3, Padding = 1 }], []],
                },
            ],
        });
        Assert.Equal("Channel mismatch in add", e.Title);
        Assert.Contains("layers[1] ('res')", e.Message);
        Assert.Contains("8x8x32", e.Message);
        Assert.Contains("8x8x16", e.Message);
    }

    [Fact]
    public void SpatialMismatchInConcatIsRefused()
    {
        var e = Refuse(new NetworkSpec
        {
            Input = [16, 8, 8],
            Layers = [new BranchesLayerSpec { Branches = [[new ConvLayerSpec { Filters = 4, Size = 3 }], [new ConvLayerSpec { Filters = 4, Size = 1 }]] }],
        });
        Assert.Equal("Spatial mismatch in concat", e.Title);
        Assert.Contains("('branches1')", e.Message);
    }

    [Fact]
    public void ErrorsInsideBranchesGiveTheNestedPath()
    {
        var e = Refuse(new NetworkSpec
        {
            Input = [3, 7, 7],
            Layers = [new ReluLayerSpec(), new BranchesLayerSpec { Name = "block", Branches = [[], [new ReluLayerSpec(), new ConvLayerSpec { Filters = 1, Size = 3, Stride = 3 }]] }],
        });
        Assert.Equal("Stride does not fit", e.Title);
        Assert.Contains("layers[1].branches[1][1] ('block/b1/conv1')", e.Message);
        Assert.Equal("1.1.1", e.Extensions["layerIndex"]);
    }

    [Fact]
    public void MoreLayersThanTheLimitIsTooLarge()
    {
        var e = Refuse(
            new NetworkSpec { Input = [1, 4, 4], Layers = Enumerable.Range(0, 11).Select(_ => (LayerSpec)new ReluLayerSpec()).ToList() },
            new NetworkOptions(Limits: new NetworkLimits { MaxLayers = 10 }));
        Assert.Equal(ErrorKind.OverLimit, e.Kind);
        Assert.Contains("layers[10] ('relu11')", e.Message);
    }

    [Fact]
    public void MoreParametersThanTheLimitIsTooLarge()
    {
        var e = Refuse(
            new NetworkSpec { Input = [1, 4, 4], Layers = [new FcLayerSpec { Units = 10 }, new FcLayerSpec { Name = "huge", Units = 1000 }] },
            new NetworkOptions(Limits: new NetworkLimits { MaxParameters = 1000 }));
        Assert.Equal(ErrorKind.OverLimit, e.Kind);
        Assert.Contains("('huge')", e.Message);
    }

    [Fact]
    public void GroupsMustDivideTheDepth()
    {
        var e = Refuse(new NetworkSpec { Input = [6, 4, 4], Layers = [new ConvLayerSpec { Filters = 8, Size = 1, Groups = 4 }] });
        Assert.Equal("Groups do not divide the channels", e.Title);
    }

    [Fact]
    public void StrideThatDoesNotFitSuggestsAPadding()
    {
        var e = Refuse(new NetworkSpec { Input = [1, 7, 7], Layers = [new ConvLayerSpec { Filters = 1, Size = 3, Stride = 3 }] });
        Assert.Contains("use padding 1 ((7 + 2*1 - 3)/3 + 1 = 3)", e.Message);
        Assert.Contains("fit \"floor\"", e.Message);
    }

    [Fact]
    public void HugeSizesAreRefusedRatherThanOverflowing()
    {
        var e = Refuse(new NetworkSpec { Input = [60_000, 60_000, 60_000], Layers = [new FlattenLayerSpec()] });
        Assert.Equal("Numbers too large", e.Title);
    }

    [Fact]
    public void CeilModePoolMatchesPyTorch()
    {
        // PyTorch: MaxPool2d(3, 2, ceil_mode=True) on 112 gives 56; on 6 with padding 1 the last window would start in the padding.
        var report = NetworkAnalyzer.Analyze(new NetworkSpec
        {
            Input = [1, 112, 6],
            Layers = [new PoolLayerSpec { Size = new Extent2(3, 2), Stride = 2, Padding = new PaddingSpec(PaddingMode.Explicit, 0, 1, 0, 1), CeilMode = true }],
        });
        Assert.Equal([1, 56, 4], report.Layers[1].OutputDims);
    }
}
