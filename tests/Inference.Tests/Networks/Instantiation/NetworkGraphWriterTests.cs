using System.Text.Json;
using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;
using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;
using ConvService.Inference.Networks.Json;
using ConvService.Inference.Networks.Instantiation;
using ConvService.Inference.Onnx;
using ConvService.Inference.Tests.TestSupport;
using Google.Protobuf;

namespace ConvService.Inference.Tests.Networks.Instantiation;

public sealed class NetworkGraphWriterTests
{
    /// <summary>Every layer our engine plans from the written graph has the shape the report gives the layer of that name.</summary>
    [Theory]
    [InlineData("lenet5")]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("googlenet")]
    public void EngineShapesEqualTheReportLayerByLayer(string name)
    {
        var spec = BuiltInNetworks.Get(name);
        var report = NetworkAnalyzer.Analyze(spec);
        var model = OnnxModel.Load(NetworkGraphWriter.Write(spec).ToByteArray());

        var reported = report.Layers.Where(l => !l.IsBlock || l.Type == "inception").ToDictionary(l => l.Name, l => l.OutputDims);
        var compared = new HashSet<string>();
        foreach (var layer in model.Layers)
        {
            foreach (var node in layer.FusedNodeNames.Prepend(layer.Name))
            {
                if (reported.TryGetValue(node, out var dims))
                {
                    // The report writes [channels, height, width]; the engine [batch, channels, height, width], or
                    // [batch, features] after a flatten, where the report keeps the 1 x 1 of the fully connected layers.
                    if (layer.OutputShape.Count == 4)
                    {
                        Assert.Equal(dims, layer.OutputShape.Skip(1).ToArray());
                    }
                    else
                    {
                        Assert.Equal(dims.Aggregate(1, (p, d) => p * d), layer.OutputShape.Skip(1).Aggregate(1, (p, d) => p * d));
                    }

                    compared.Add(node);
                }
            }
        }

        // Every layer of the report but the input is found in the engine's plan, by its own name or fused into another.
        var missing = reported.Keys.Where(name => name != report.Layers[0].Name && !compared.Contains(name)).ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length} of {compared.Count + missing.Length} reported layers not in the plan: {string.Join(", ", missing)}");
        var last = report.Layers[^1].OutputDims;
        Assert.Equal(last.Aggregate(1, (p, d) => p * d), model.Outputs[0].ElementsPerImage);
    }

    [Fact]
    public void LeNetFromItsSpecRunsLikeOnnxRuntime()
    {
        var bytes = NetworkGraphWriter.Write(BuiltInNetworks.Get("lenet5"), seed: 3).ToByteArray();
        EngineRunner.AssertMatchesOrt(bytes, [2, 1, 32, 32]);
    }

    [Fact]
    public void EveryRunnableLayerKindMatchesOnnxRuntime()
    {
        const string json = """
        {
          "input": [3, 23, 21],
          "layers": [
            { "type": "conv", "filters": 8, "size": [3, 5], "stride": 2, "padding": "same" },
            { "type": "batchnorm" },
            { "type": "activation", "function": "leakyrelu" },
            { "type": "pool", "mode": "max", "size": 3, "stride": 2, "padding": 1, "ceilMode": true },
            { "type": "branches", "merge": "concat", "branches": [
                [ { "type": "conv", "filters": 4, "size": 1 }, { "type": "relu" } ],
                [ { "type": "conv", "filters": 6, "size": 3, "padding": 1, "groups": 2 }, { "type": "activation", "function": "tanh" } ],
                [ { "type": "pool", "mode": "avg", "size": 3, "stride": 1, "padding": 1 } ] ] },
            { "type": "residual", "block": "basic", "filters": 18 },
            { "type": "residual", "block": "bottleneck", "filters": 4, "stride": 1 },
            { "type": "lrn", "size": 5 },
            { "type": "conv", "filters": 10, "size": 3, "dilation": 2, "padding": 2 },
            { "type": "activation", "function": "sigmoid" },
            { "type": "globalpool", "mode": "max" },
            { "type": "flatten" },
            { "type": "fc", "units": 7 },
            { "type": "dropout" },
            { "type": "softmax" }
          ]
        }
        """;
        var spec = NetworkJson.ReadSpec(JsonDocument.Parse(json).RootElement.GetRawText());
        var bytes = NetworkGraphWriter.Write(spec, seed: 11).ToByteArray();
        EngineRunner.AssertMatchesOrt(bytes, [2, 3, 23, 21]);
    }

    [Fact]
    public void LocallyConnectedLayersAreReportedButNotRun()
    {
        var spec = new NetworkSpec
        {
            Input = [1, 8, 8],
            Layers = [new LocalLayerSpec { Filters = 2, Size = 3 }],
        };
        var error = Assert.Throws<ConvServiceException>(() => NetworkGraphWriter.Write(spec));
        Assert.Contains("locally connected", error.Message);
    }

    [Fact]
    public void SameSeedGivesTheSameWeights()
    {
        var a = NetworkGraphWriter.Write(BuiltInNetworks.Get("lenet5"), seed: 5).ToByteArray();
        var b = NetworkGraphWriter.Write(BuiltInNetworks.Get("lenet5"), seed: 5).ToByteArray();
        var c = NetworkGraphWriter.Write(BuiltInNetworks.Get("lenet5"), seed: 6).ToByteArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
