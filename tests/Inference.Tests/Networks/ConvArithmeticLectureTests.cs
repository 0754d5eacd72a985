using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;
using ConvService.Inference.Networks;

namespace ConvService.Inference.Tests.Networks;

/// <summary>The lecture's worked examples of output size and parameter count for single layers.</summary>
public sealed class ConvArithmeticLectureTests
{
    private static NetworkReport One(int channels, int n, LayerSpec layer, FitMode? fit = null) =>
        NetworkAnalyzer.Analyze(new NetworkSpec { Input = [channels, n, n], Layers = [layer] }, new NetworkOptions(fit));

    [Theory]
    [InlineData(1, 5, "(7 - 3)/1 + 1 = 5")]
    [InlineData(2, 3, "(7 - 3)/2 + 1 = 3")]
    public void SevenBySevenInputWithThreeByThreeFilter(int stride, int expected, string formula)
    {
        var row = One(1, 7, new ConvLayerSpec { Filters = 1, Size = 3, Stride = stride }).Layers[1];
        Assert.Equal([1, expected, expected], row.OutputDims);
        Assert.Equal(formula, row.Formula);
    }

    [Fact]
    public void StrideThreeDoesNotFitSevenBySevenAndTheMessageShowsTwoPointThreeThree()
    {
        var e = Assert.Throws<ConvServiceException>(() => One(1, 7, new ConvLayerSpec { Filters = 1, Size = 3, Stride = 3 }));
        Assert.Equal(ErrorKind.DoesNotFit, e.Kind);
        Assert.Equal("Stride does not fit", e.Title);
        Assert.Contains("(7 - 3)/3 + 1 = 2.33", e.Message);
        Assert.Contains("layers[0] ('conv1')", e.Message);
        Assert.Equal("0", e.Extensions["layerIndex"]);
        Assert.Equal("conv1", e.Extensions["layerName"]);
    }

    [Fact]
    public void StrideThreeWithFitFloorRoundsDownAsPyTorch()
    {
        var row = One(1, 7, new ConvLayerSpec { Filters = 1, Size = 3, Stride = 3 }, FitMode.Floor).Layers[1];
        Assert.Equal([1, 2, 2], row.OutputDims);
        Assert.Contains("2.33, rounded down to 2", row.Formula);
    }

    [Fact]
    public void PaddingOneAtStrideOneKeepsSevenBySeven()
    {
        var row = One(1, 7, new ConvLayerSpec { Filters = 1, Size = 3, Padding = 1 }).Layers[1];
        Assert.Equal("7x7x1", row.OutputShape);
        Assert.Equal("(7 + 2*1 - 3)/1 + 1 = 7", row.Formula);
    }

    [Fact]
    public void TenFiveByFiveFiltersPadTwoOn32x32x3Give32x32x10And760Parameters()
    {
        var row = One(3, 32, new ConvLayerSpec { Filters = 10, Size = 5, Padding = 2 }).Layers[1];
        Assert.Equal("32x32x10", row.OutputShape);
        Assert.Equal(750, row.Weights);
        Assert.Equal(10, row.Biases);
        Assert.Equal(760, row.Parameters);
        Assert.Equal("(5*5*3)*10 = 750 weights + 10 biases", row.ParameterFormula);
    }

    [Fact]
    public void OneByOneConvWith32FiltersOn56x56x64Gives56x56x32()
    {
        var row = One(64, 56, new ConvLayerSpec { Filters = 32, Size = 1 }).Layers[1];
        Assert.Equal("56x56x32", row.OutputShape);
        Assert.Equal(64 * 32, row.Weights);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    public void ZeroPaddingOfHalfTheFilterPreservesSize(int size, int padding)
    {
        var row = One(3, 32, new ConvLayerSpec { Filters = 4, Size = size, Padding = padding }).Layers[1];
        Assert.Equal([4, 32, 32], row.OutputDims);
    }

    [Fact]
    public void RepeatedFiveByFiveConvsShrink32To28To24()
    {
        var report = NetworkAnalyzer.Analyze(new NetworkSpec
        {
            Input = [3, 32, 32],
            Layers = [new ConvLayerSpec { Filters = 6, Size = 5 }, new ReluLayerSpec(), new ConvLayerSpec { Filters = 10, Size = 5 }],
        });
        Assert.Equal("28x28x6", report.Layers[1].OutputShape);
        Assert.Equal("24x24x10", report.Layers[3].OutputShape);
        Assert.Equal(["input", "conv1", "relu1", "conv2"], report.Layers.Select(l => l.Name));
    }

    [Fact]
    public void MaxPoolTwoByTwoStrideTwoHalvesAndHasNoParameters()
    {
        var row = One(3, 4, new PoolLayerSpec { Size = 2, Stride = 2 }).Layers[1];
        Assert.Equal("2x2x3", row.OutputShape);
        Assert.Equal(0, row.Parameters);
    }

    [Fact]
    public void FullyConnected200x200x3To1000UnitsIs120MillionWeights()
    {
        var c = ConnectivityCalculator.Compare(3, 200, 200, 1000, 10, 100);
        Assert.Equal(120_000_000, c.FullyConnectedWeights);
    }

    [Fact]
    public void LocallyConnectedLectureFigureLeavesOutDepth100000VersusExact300000()
    {
        var c = ConnectivityCalculator.Compare(3, 200, 200, 1000, 10, 100);
        Assert.Equal(100_000, c.LocallyConnectedWeightsLecture);
        Assert.Equal(300_000, c.LocallyConnectedWeights);
    }

    [Fact]
    public void ConvolutionalLectureFigureLeavesOutDepth10000VersusExact30000()
    {
        var c = ConnectivityCalculator.Compare(3, 200, 200, 1000, 10, 100);
        Assert.Equal(10_000, c.ConvolutionalWeightsLecture);
        Assert.Equal(30_000, c.ConvolutionalWeights);
        Assert.Equal(100, c.ConvolutionalBiases);
    }

    [Fact]
    public void LocallyConnectedLayerHasOneWeightSetPerOutputPosition()
    {
        var local = One(3, 8, new LocalLayerSpec { Filters = 2, Size = 3 }).Layers[1];
        var conv = One(3, 8, new ConvLayerSpec { Filters = 2, Size = 3 }).Layers[1];
        Assert.Equal("6x6x2", local.OutputShape);
        Assert.Equal(conv.Weights * 36, local.Weights);
        Assert.Equal(2 * 36, local.Biases);
        Assert.Equal(conv.Macs, local.Macs);
    }

    [Fact]
    public void ReceptiveFieldGrowsByFilterMinusOneTimesJump()
    {
        var report = NetworkAnalyzer.Analyze(new NetworkSpec
        {
            Input = [3, 227, 227],
            Layers = [new ConvLayerSpec { Filters = 96, Size = 11, Stride = 4 }, new PoolLayerSpec { Size = 3, Stride = 2 }],
        });
        Assert.Equal((11L, 4L), (report.Layers[1].ReceptiveFieldHeight, report.Layers[1].JumpHeight));
        Assert.Equal((11L + 2 * 4, 8L), (report.Layers[2].ReceptiveFieldHeight, report.Layers[2].JumpWidth));
    }

    [Fact]
    public void SamePaddingGivesCeilOfInputOverStride()
    {
        var row = One(3, 224, new ConvLayerSpec { Filters = 8, Size = 7, Stride = 2, Padding = PaddingSpec.Same }).Layers[1];
        Assert.Equal([8, 112, 112], row.OutputDims);
    }

    [Fact]
    public void DilationWidensTheWindow()
    {
        var row = One(1, 9, new ConvLayerSpec { Filters = 1, Size = 3, Dilation = 2 }).Layers[1];
        Assert.Equal([1, 5, 5], row.OutputDims);
        Assert.Equal(9, row.Weights);
        Assert.Equal(5L, row.ReceptiveFieldHeight);
    }

    [Fact]
    public void GroupedConvDividesTheWeightsByTheGroups()
    {
        var row = One(8, 5, new ConvLayerSpec { Filters = 16, Size = 3, Padding = 1, Groups = 4, Bias = false }).Layers[1];
        Assert.Equal(16 * 2 * 9, row.Weights);
        Assert.Equal(0, row.Biases);
        Assert.Equal(16L * 25 * 2 * 9, row.Macs);
    }

    [Fact]
    public void NonSquareFilterReportsBothAxes()
    {
        var row = One(1, 10, new ConvLayerSpec { Filters = 1, Size = new Extent2(1, 7) }).Layers[1];
        Assert.Equal([1, 10, 4], row.OutputDims);
        Assert.Equal("height: (10 - 1)/1 + 1 = 10; width: (10 - 7)/1 + 1 = 4", row.Formula);
    }
}
