using BenchmarkDotNet.Attributes;
using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Bench.Engine;

/// <summary>
/// ConvTranspose and Resize on decoder-sized tensors: one-node models through our engine and through ONNX Runtime
/// 1.31.1, both on one thread. Both read the input where it already is (ONNX Runtime's bound OrtValue, the
/// session's input slot, written once in setup) and leave the result in their own output buffer.
/// Run: dotnet run -c Release --project bench -- --filter '*SpatialOperatorBenchmarks*' --inProcess --warmupCount 3 --iterationCount 10
/// </summary>
[MemoryDiagnoser]
public class SpatialOperatorBenchmarks : IDisposable
{
    private readonly RunOptions runOptions = new();
    private ModelSession? ours;
    private InferenceSession? session;
    private float[] input = [];
    private float[] output = [];
    private float[] ortOutput = [];
    private OrtValue[] ortInputs = [];
    private OrtValue[] ortOutputs = [];
    private string[] inputNames = [];
    private string[] outputNames = [];

    [Params("ConvTranspose_256x32x32_to_128_k4s2", "ResizeBilinear_64x128x128_x2", "ResizeNearest_64x128x128_x2")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var (model, inShape, outShape) = Build(Case);
        var random = new Random(42);
        input = [.. Enumerable.Range(0, inShape.Aggregate(1, (p, d) => p * d)).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        output = new float[outShape.Aggregate(1, (p, d) => p * d)];
        ortOutput = new float[output.Length];

        ours = OnnxModel.Load(model).CreateSession(1);
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
        ortInputs = [OrtValue.CreateTensorValueFromMemory(input, inShape.Select(d => (long)d).ToArray())];
        ortOutputs = [OrtValue.CreateTensorValueFromMemory(ortOutput, outShape.Select(d => (long)d).ToArray())];

        // A benchmark of a wrong operator is worthless: refuse to time outputs that disagree.
        // Run twice: a plan that overwrote its input would now be wrong, and every timed run would differ.
        input.CopyTo(ours.Input(ours.Inputs[0].Name));
        ours.Run();
        ours.Run();
        ours.Output(ours.Outputs[0].Name).CopyTo(output);
        OnnxRuntime();
        var scale = ortOutput.Max(Math.Abs);
        for (var i = 0; i < output.Length; i++)
        {
            if (Math.Abs(output[i] - ortOutput[i]) > 1e-4f * scale)
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

        session?.Dispose();
        ours?.Dispose();
        runOptions.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => session!.Run(runOptions, inputNames, ortInputs, outputNames, ortOutputs);

    [Benchmark]
    public void ConvService() => ours!.Run();

    private static (byte[] Model, int[] InShape, int[] OutShape) Build(string name)
    {
        var b = new OnnxGraphBuilder(seed: 3, opset: 13);
        if (name.StartsWith("ConvTranspose", StringComparison.Ordinal))
        {
            int[] inShape = [1, 256, 32, 32];
            int[] outShape = [1, 128, 64, 64];
            var x = b.Input("x", inShape);
            var w = b.Initializer("w", [256, 128, 4, 4], b.RandomValues(256 * 128 * 16, 0.05f));
            var bias = b.Initializer("b", [128], b.RandomValues(128, 0.1f));
            b.Output(b.Node("ConvTranspose", "deconv", [x, w, bias], outShape, Ints("kernel_shape", 4, 4), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1)));
            return (b.ToBytes(), inShape, outShape);
        }

        var nearest = name.Contains("Nearest", StringComparison.Ordinal);
        int[] resizeIn = [1, 64, 128, 128];
        int[] resizeOut = [1, 64, 256, 256];
        var input = b.Input("x", resizeIn);
        var scales = b.Initializer("scales", [4], [1f, 1f, 2f, 2f]);
        b.Output(nearest
            ? b.Node("Resize", "resize", [input, string.Empty, scales], resizeOut, String("mode", "nearest"), String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor"))
            : b.Node("Resize", "resize", [input, string.Empty, scales], resizeOut, String("mode", "linear"), String("coordinate_transformation_mode", "half_pixel")));
        return (b.ToBytes(), resizeIn, resizeOut);
    }
}
