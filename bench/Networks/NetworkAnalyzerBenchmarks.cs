using BenchmarkDotNet.Attributes;
using ConvService.Contracts.Networks;
using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;
using ConvService.Inference.Networks.Json;
using ConvService.Inference.Networks.Rendering;

namespace ConvService.Bench.Networks;

/// <summary>Cost of one report (walk, JSON read, Markdown) for the smallest and the largest built-in networks.</summary>
[MemoryDiagnoser]
public class NetworkAnalyzerBenchmarks
{
    private NetworkSpec spec = null!;
    private string json = "";
    private NetworkReport report = null!;

    [Params("alexnet", "resnet152")]
    public string Network { get; set; } = "alexnet";

    [GlobalSetup]
    public void Setup()
    {
        spec = BuiltInNetworks.Get(Network);
        json = NetworkJson.Serialize(spec);
        report = NetworkAnalyzer.Analyze(spec);
    }

    [Benchmark]
    public NetworkReport Analyze() => NetworkAnalyzer.Analyze(spec);

    [Benchmark]
    public NetworkSpec ReadJson() => NetworkJson.ReadSpec(json);

    [Benchmark]
    public string RenderMarkdown() => NetworkReportMarkdown.Render(report);
}
