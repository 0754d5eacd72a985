using BenchmarkDotNet.Attributes;
using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace ConvService.Bench.Engine;

/// <summary>
/// The packaged ImageNet ResNet-18 (224x224, 4.09 GFLOP per image) end to end: our engine against ONNX Runtime
/// on the same input with the same thread count (ORT's IntraOpNumThreads = our DegreeOfParallelism). Both run
/// with preallocated inputs and outputs, so MemoryDiagnoser shows each engine's own per-inference allocations.
/// Images/s = Batch / Mean; GFLOP/s = 4.09 * Batch / Mean[s].
/// </summary>
[MemoryDiagnoser]
public class ResNet18Benchmarks
{
    private ModelSession? ours;
    private InferenceSession? ort;
    private RunOptions? runOptions;
    private OrtValue? ortInput;
    private OrtValue? ortOutput;
    private float[] input = [];
    private float[] output = [];
    private string inputName = string.Empty;
    private string outputName = string.Empty;

    [Params(1, 8)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var bytes = File.ReadAllBytes(ModelFiles.ResNet18);
        var random = new Random(1);
        input = Enumerable.Range(0, Batch * 3 * 224 * 224).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        output = new float[Batch * 512];

        ours = OnnxModel.Load(bytes, new EngineOptions { DegreeOfParallelism = Threads }).CreateSession(Batch);

        // The file fixes batch 1; ONNX Runtime needs the batch dimension made symbolic to run batch 8.
        var proto = ModelProto.Parser.ParseFrom(bytes);
        inputName = proto.Graph.Input[0].Name;
        outputName = proto.Graph.Output[0].Name;
        proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam = "N";
        proto.Graph.Output[0].Type.TensorType.Shape.Dim[0].DimParam = "N";
        var options = new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        ort = new InferenceSession(proto.ToByteArray(), options);
        runOptions = new RunOptions();
        ortInput = OrtValue.CreateTensorValueFromMemory(input, [Batch, 3, 224, 224]);
        ortOutput = OrtValue.CreateTensorValueFromMemory(output, [Batch, 512, 1, 1]);
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => ort!.Run(runOptions, [inputName], [ortInput!], [outputName], [ortOutput!]);

    [Benchmark]
    public void ConvServiceEngine() => ours!.Run(input, output);

    [GlobalCleanup]
    public void Cleanup()
    {
        ours?.Dispose();
        ortInput?.Dispose();
        ortOutput?.Dispose();
        runOptions?.Dispose();
        ort?.Dispose();
    }
}
