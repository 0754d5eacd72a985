using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;

namespace ConvService.Inference.Tests.Networks;

public sealed class LeNetTests
{
    [Fact]
    public void ModernLeNet5Has61706Parameters()
    {
        var report = NetworkAnalyzer.Analyze(BuiltInNetworks.Get("lenet5"));
        Assert.Equal(61_706, report.Totals.Parameters);
        Assert.Equal(
            ["32x32x1", "28x28x6", "14x14x6", "10x10x16", "5x5x16", "1x1x120", "1x1x84", "1x1x10"],
            report.Layers.Where(l => !l.InPlace).Select(l => l.OutputShape));
    }
}
