using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;

namespace ConvService.Inference.Tests.Networks;

/// <summary>The lecture's simplified AlexNet, layer by layer.</summary>
public sealed class AlexNetLectureTests
{
    private static readonly Contracts.Networks.NetworkReport Report = NetworkAnalyzer.Analyze(BuiltInNetworks.Get("alexnet"));

    private static Contracts.Networks.LayerReport Row(string name) => Report.Layers.Single(l => l.Name == name);

    [Fact]
    public void Conv1Is55x55x96With34848Weights()
    {
        var conv1 = Row("CONV1");
        Assert.Equal("55x55x96", conv1.OutputShape);
        Assert.Equal("(227 - 11)/4 + 1 = 55", conv1.Formula);
        Assert.Equal(34_848, conv1.Weights); // the lecture's "35K"
        Assert.Equal(11 * 11 * 3 * 96, conv1.Weights);
    }

    [Fact]
    public void Pool1Is27x27x96WithZeroParameters()
    {
        var pool1 = Row("POOL1");
        Assert.Equal("27x27x96", pool1.OutputShape);
        Assert.Equal("(55 - 3)/2 + 1 = 27", pool1.Formula);
        Assert.Equal(0, pool1.Parameters);
    }

    [Theory]
    [InlineData("CONV1", "55x55x96")]
    [InlineData("POOL1", "27x27x96")]
    [InlineData("NORM1", "27x27x96")]
    [InlineData("CONV2", "27x27x256")]
    [InlineData("POOL2", "13x13x256")]
    [InlineData("NORM2", "13x13x256")]
    [InlineData("CONV3", "13x13x384")]
    [InlineData("CONV4", "13x13x384")]
    [InlineData("CONV5", "13x13x256")]
    [InlineData("POOL3", "6x6x256")]
    [InlineData("FC6", "1x1x4096")]
    [InlineData("FC7", "1x1x4096")]
    [InlineData("FC8", "1x1x1000")]
    public void EveryShapeOfTheFullSimplifiedArchitecture(string layer, string shape) => Assert.Equal(shape, Row(layer).OutputShape);

    [Fact]
    public void TotalIs62378344Parameters()
    {
        Assert.Equal(62_378_344, Report.Totals.Parameters);
        Assert.Equal("227x227x3", Report.InputShape);
        Assert.Equal(8, Report.Totals.WeightLayers);
    }
}
