using BenchmarkDotNet.Attributes;
using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;

namespace ConvService.Bench.Engine;

/// <summary>
/// LeNet-5 (32x32, seeded random weights) through the engine: short enough to show the per-inference overhead
/// of the executor itself and, with MemoryDiagnoser, that a steady-state run allocates next to nothing.
/// </summary>
[MemoryDiagnoser]
public class SmallNetworkBenchmarks
{
    private ModelSession? session;
    private float[] input = [];
    private float[] output = [];

    [Params(1, 8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var b = new OnnxGraphBuilder(seed: 5);
        var x = b.Input("input", [1, 1, 32, 32], batchSymbol: "N");
        x = b.AveragePool(b.Elementwise("Tanh", b.Conv(x, 6, 5)), 2, 2);
        x = b.AveragePool(b.Elementwise("Tanh", b.Conv(x, 16, 5)), 2, 2);
        x = b.Elementwise("Tanh", b.Gemm(b.Flatten(x), 120));
        x = b.Elementwise("Tanh", b.Gemm(x, 84));
        b.Output(b.Softmax(b.Gemm(x, 10)));
        session = OnnxModel.Load(b.ToBytes()).CreateSession(Batch);
        input = new float[Batch * 32 * 32];
        output = new float[Batch * 10];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (i % 17) / 17f;
        }
    }

    [Benchmark]
    public void LeNet5() => session!.Run(input, output);

    [GlobalCleanup]
    public void Cleanup() => session?.Dispose();
}
