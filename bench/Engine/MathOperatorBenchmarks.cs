using BenchmarkDotNet.Attributes;
using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Bench.Engine;

/// <summary>
/// Operators of the math set in a one-node model on realistic shapes, the engine (through a session, as a request
/// runs it) against ONNX Runtime 1.31.1, both on one thread. Both read the input where it already is and write
/// the output into their own buffer (ONNX Runtime's bound OrtValues, the session's slots), so the operator is
/// timed, not a copy in and out. CopyInput copies the input once, for the bytes-per-second a plain copy reaches.
/// Run: dotnet run -c Release --project bench -- --filter '*MathOperatorBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class MathOperatorBenchmarks : IDisposable
{
    private float[] input = [];
    private float[] output = [];
    private float[] ortOutput = [];
    private float[] copyTarget = [];
    private ModelSession? ours;
    private InferenceSession? session;
    private readonly RunOptions runOptions = new();
    private OrtValue[] ortInputs = [];
    private OrtValue[] ortOutputs = [];
    private string[] inputNames = [];
    private string[] outputNames = [];

    [Params("LayerNormalization_1x197x768", "Softmax_1x1000", "ReduceMean_1x256x56x56_HW", "Gelu_1x64x112x112", "Exp_1x64x112x112")]
    public string Case { get; set; } = "";

    [Params(SimdLevel.Vector512, SimdLevel.Vector256, SimdLevel.Vector128)]
    public SimdLevel Level { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (model, shape, outputShape) = Build(Case);
        var random = new Random(42);
        input = [.. Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => (float)((random.NextDouble() * 6) - 3))];
        output = new float[outputShape.Aggregate(1, (p, d) => p * d)];
        ortOutput = new float[output.Length];
        copyTarget = new float[input.Length];

        ours = OnnxModel.Load(model, new EngineOptions { Simd = Level }).CreateSession(1);
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        session = new InferenceSession(model, options);
        inputNames = [session.InputMetadata.Keys.First()];
        outputNames = [session.OutputMetadata.Keys.First()];
        ortInputs = [OrtValue.CreateTensorValueFromMemory(input, [.. shape.Select(d => (long)d)])];
        ortOutputs = [OrtValue.CreateTensorValueFromMemory(ortOutput, [.. outputShape.Select(d => (long)d)])];

        // A benchmark of a wrong operator is worthless: refuse to time outputs that disagree.
        // Run twice: a plan that overwrote its input would now be wrong, and every timed run would differ.
        input.CopyTo(ours.Input(ours.Inputs[0].Name));
        ours.Run();
        RunOurs();
        ours.Output(ours.Outputs[0].Name).CopyTo(output);
        RunOnnxRuntime();
        var scale = ortOutput.Max(MathF.Abs);
        for (var i = 0; i < output.Length; i++)
        {
            if (Math.Abs(output[i] - ortOutput[i]) > 1e-5f * Math.Max(scale, 1f))
            {
                throw new InvalidOperationException($"{Case}: output {i} is {output[i]}, ONNX Runtime says {ortOutput[i]}.");
            }
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var value in ortInputs.Concat(ortOutputs))
        {
            value.Dispose();
        }

        ours?.Dispose();
        session?.Dispose();
        runOptions.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => RunOnnxRuntime();

    [Benchmark]
    public void ConvService() => RunOurs();

    /// <summary>The same bytes as an element-wise operator reads and writes, moved by the runtime's copy.</summary>
    [Benchmark]
    public void CopyInput() => input.AsSpan().CopyTo(copyTarget);

    private void RunOnnxRuntime() => session!.Run(runOptions, inputNames, ortInputs, outputNames, ortOutputs);

    private void RunOurs() => ours!.Run();

    private static (byte[] Model, int[] Shape, int[] OutputShape) Build(string name)
    {
        switch (name)
        {
            case "LayerNormalization_1x197x768":
            {
                var b = new OnnxGraphBuilder(seed: 3, opset: 17);
                var x = b.Input("x", [1, 197, 768]);
                var scale = b.Initializer("scale", [768], b.RandomValues(768, 1f));
                var bias = b.Initializer("bias", [768], b.RandomValues(768, 1f));
                b.Output(b.Node("LayerNormalization", "ln", [x, scale, bias], [1, 197, 768], Int("axis", -1)));
                return (b.ToBytes(), [1, 197, 768], [1, 197, 768]);
            }

            case "Softmax_1x1000":
            {
                var b = new OnnxGraphBuilder(opset: 13);
                var x = b.Input("x", [1, 1000]);
                b.Output(b.Node("Softmax", "softmax", [x], [1, 1000], Int("axis", -1)));
                return (b.ToBytes(), [1, 1000], [1, 1000]);
            }

            case "ReduceMean_1x256x56x56_HW":
            {
                var b = new OnnxGraphBuilder(opset: 13);
                var x = b.Input("x", [1, 256, 56, 56]);
                b.Output(b.Node("ReduceMean", "mean", [x], [1, 256, 1, 1], Ints("axes", 2, 3)));
                return (b.ToBytes(), [1, 256, 56, 56], [1, 256, 1, 1]);
            }

            default:
            {
                var op = name.Split('_')[0];
                var b = new OnnxGraphBuilder(opset: op == "Gelu" ? 20 : 13);
                var x = b.Input("x", [1, 64, 112, 112]);
                b.Output(b.Node(op, "op", [x], [1, 64, 112, 112]));
                return (b.ToBytes(), [1, 64, 112, 112], [1, 64, 112, 112]);
            }
        }
    }
}
