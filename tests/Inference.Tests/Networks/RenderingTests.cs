using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;
using ConvService.Inference.Networks.Rendering;

namespace ConvService.Inference.Tests.Networks;

public sealed class RenderingTests
{
    [Fact]
    public void MarkdownShowsShapesCountsAndFormulas()
    {
        var markdown = NetworkReportMarkdown.Render(NetworkAnalyzer.Analyze(BuiltInNetworks.Get("alexnet")));
        Assert.Contains("| 0 | CONV1 | conv | 227x227x3 | 55x55x96 | 34,848 | 96 | 34,944 |", markdown);
        Assert.Contains("(227 - 11)/4 + 1 = 55", markdown);
        Assert.Contains("Parameters: 62,378,344", markdown);
    }

    [Fact]
    public void CsvHasOneRowPerLayerPlusHeaderAndTotalWithPlainIntegers()
    {
        var report = NetworkAnalyzer.Analyze(BuiltInNetworks.Get("lenet5"));
        var lines = NetworkReportCsv.Render(report).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(report.Layers.Count + 2, lines.Length);
        Assert.StartsWith("index,name,type", lines[0]);
        Assert.StartsWith("total,lenet5,,,32x32x1,1x1x10,", lines[^1]);
        Assert.Contains(",61706,", lines[^1]);
        Assert.EndsWith(",(32 - 5)/1 + 1 = 28,(5*5*1)*6 = 150 weights + 6 biases", lines[2]);
    }

    [Fact]
    public void ComparisonPutsTheCaseStudiesSideBySide()
    {
        var comparison = NetworkComparer.Compare(new[] { "alexnet", "vgg16", "googlenet", "resnet152" }.Select(BuiltInNetworks.Get));
        Assert.Equal(["alexnet", "vgg16", "googlenet", "resnet152"], comparison.Networks.Select(n => n.Name));
        Assert.Equal(138_357_544, comparison.Networks[1].Parameters);
        Assert.Contains("| googlenet |", NetworkReportMarkdown.Render(comparison));
    }
}
