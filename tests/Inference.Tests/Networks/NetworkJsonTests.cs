using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;
using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;
using ConvService.Inference.Networks.Json;

namespace ConvService.Inference.Tests.Networks;

public sealed class NetworkJsonTests
{
    [Fact]
    public void ReadsEveryFormOfSizeAndPadding()
    {
        var spec = NetworkJson.ReadSpec("""
            {"input": [3, 32, 32], "layers": [
              {"filters": 8, "type": "conv", "size": [3, 5], "stride": 1, "padding": [1, 2]},
              {"type": "conv", "filters": 8, "size": 3, "padding": "same", "bias": false},
              {"type": "pool", "mode": "avg", "size": 2, "stride": 2, "padding": [1, 0, 1, 0]},
              {"type": "activation", "function": "tanh"},
              {"type": "conv", "filters": 2, "size": 3, "stride": 2, "padding": "valid"}
            ]}
            """);
        var conv = Assert.IsType<ConvLayerSpec>(spec.Layers[0]);
        Assert.Equal(new Extent2(3, 5), conv.Size);
        Assert.Equal(new PaddingSpec(PaddingMode.Explicit, 1, 2, 1, 2), conv.Padding);
        Assert.Equal(PaddingSpec.Same, ((ConvLayerSpec)spec.Layers[1]).Padding);
        Assert.Equal(PoolMode.Avg, ((PoolLayerSpec)spec.Layers[2]).Mode);
        var report = NetworkAnalyzer.Analyze(spec);
        Assert.Equal("32x32x8", report.Layers[1].OutputShape);
        Assert.Equal("17x16x8", report.Layers[3].OutputShape);
        Assert.Equal("tanh1", report.Layers[4].Name);
        Assert.Equal("8x7x2", report.Layers[5].OutputShape);
        Assert.Contains("7.5, rounded down to 7 (valid padding)", report.Layers[5].Formula);
    }

    [Theory]
    [InlineData("alexnet")]
    [InlineData("googlenet")]
    [InlineData("resnet50")]
    public void BuiltInSpecsRoundTripThroughJson(string name)
    {
        var spec = BuiltInNetworks.Get(name);
        var again = NetworkJson.ReadSpec(NetworkJson.Serialize(spec));
        Assert.Equal(NetworkAnalyzer.Analyze(spec).Totals, NetworkAnalyzer.Analyze(again).Totals);
    }

    [Fact]
    public void UnknownTypeNamesTheLayerIndexAndDefaultName()
    {
        var e = Assert.Throws<ConvServiceException>(() => NetworkJson.ReadSpec("""
            {"input": [3, 8, 8], "layers": [{"type": "relu"}, {"type": "convolution", "filters": 3}]}
            """));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Equal("Unknown layer type", e.Title);
        Assert.Contains("layers[1] ('convolution1')", e.Message);
        Assert.Contains("conv, local, pool", e.Message);
    }

    [Fact]
    public void WrongJsonTypeNamesTheLayerAndItsName()
    {
        var e = Assert.Throws<ConvServiceException>(() => NetworkJson.ReadSpec("""
            {"input": [3, 8, 8], "layers": [{"type": "relu"}, {"type": "relu"}, {"type": "conv", "name": "c", "filters": "many", "size": 3}]}
            """));
        Assert.Equal("Malformed layer", e.Title);
        Assert.Contains("layers[2] ('c')", e.Message);
        Assert.Contains("layers[2].filters", e.Message);
        Assert.Equal("2", e.Extensions["layerIndex"]);
    }

    [Fact]
    public void MisspelledMemberIsRefused()
    {
        var e = Assert.Throws<ConvServiceException>(() => NetworkJson.ReadSpec("""
            {"input": [3, 8, 8], "layers": [{"type": "conv", "filter": 3, "size": 3}]}
            """));
        Assert.Contains("layers[0] ('conv1')", e.Message);
    }

    [Fact]
    public void NestedBranchErrorsGiveTheBranchPath()
    {
        var e = Assert.Throws<ConvServiceException>(() => NetworkJson.ReadSpec("""
            {"input": [3, 8, 8], "layers": [{"type": "branches", "branches": [[], [{"type": "pool", "size": true}]]}]}
            """));
        Assert.Contains("layers[0].branches[1][0] ('pool1')", e.Message);
    }

    [Fact]
    public void SyntaxErrorIsBadRequest()
    {
        var e = Assert.Throws<ConvServiceException>(() => NetworkJson.ReadSpec("{\"input\": [3, 8, 8], \"layers\": [}"));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Equal("Malformed JSON", e.Title);
    }

    [Fact]
    public void MissingTypeIsNamed()
    {
        var e = Assert.Throws<ConvServiceException>(() => NetworkJson.ReadSpec("""{"input": [3, 8, 8], "layers": [{"filters": 3}]}"""));
        Assert.Equal("Missing layer type", e.Title);
        Assert.Contains("layers[0]", e.Message);
    }
}
