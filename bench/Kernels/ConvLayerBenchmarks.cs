using BenchmarkDotNet.Attributes;

namespace ConvService.Bench.Kernels;

/// <summary>
/// Single convolution layers, ours against ONNX Runtime 1.31.1 on the same weights, input and thread count.
/// Run: dotnet run -c Release --project bench -- --filter '*ConvLayerBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class ConvLayerBenchmarks
{
    private ConvLayerRunners runners = null!;

    [ParamsSource(nameof(LayerNames))]
    public string Layer { get; set; } = "";

    [Params(1)]
    public int Threads { get; set; }

    public static IEnumerable<string> LayerNames => ConvLayerCatalog.Names;

    [GlobalSetup]
    public void Setup() => runners = new ConvLayerRunners(Layer, Threads);

    [GlobalCleanup]
    public void Cleanup() => runners.Dispose();

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => runners.RunOnnxRuntime();

    [Benchmark]
    public void ConvService() => runners.RunOurs();
}
