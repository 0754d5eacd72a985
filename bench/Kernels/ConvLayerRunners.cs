using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Kernels.Gemm;
using Microsoft.ML.OnnxRuntime;

namespace ConvService.Bench.Kernels;

/// <summary>Our plan and an ONNX Runtime session for the same layer, weights and input, ready to run repeatedly.</summary>
public sealed class ConvLayerRunners : IDisposable
{
    private readonly float[] input;
    private readonly float[] output;
    private readonly float[] ortOutput;
    private readonly float[] scratch;
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly OrtValue[] ortInputs;
    private readonly OrtValue[] ortOutputs;
    private readonly string[] inputNames = ["X"];
    private readonly string[] outputNames = ["Y"];

    public ConvLayerRunners(string layer, int threads, int batch = 1, ConvAlgorithm? algorithm = null)
        : this(ConvLayerCatalog.Layers[layer], threads, batch, algorithm)
    {
    }

    public ConvLayerRunners(ConvGeometry g, int threads, int batch = 1, ConvAlgorithm? algorithm = null)
    {
        Batch = batch;
        var random = new Random(42);
        float[] Fill(int count, float scale) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale)];
        input = Fill(batch * g.InputSize, 1f);
        var weights = Fill(g.WeightCount, 0.1f);
        var bias = Fill(g.OutChannels, 0.1f);
        output = new float[batch * g.OutputSize];
        ortOutput = new float[batch * g.OutputSize];

        Plan = ConvPlan.Create(g, weights, bias, FusedActivation.None, threads, SimdCapabilities.Best, algorithm);
        scratch = new float[Plan.ScratchFloats(batch)];

        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        session = new InferenceSession(OnnxConvModel.Build(g, batch, weights, bias), options);
        ortInputs = [OrtValue.CreateTensorValueFromMemory(input, [batch, g.InChannels, g.InHeight, g.InWidth])];
        ortOutputs = [OrtValue.CreateTensorValueFromMemory(ortOutput, [batch, g.OutChannels, g.OutHeight, g.OutWidth])];
    }

    public ConvPlan Plan { get; }

    public int Batch { get; }

    public void RunOurs() => Plan.Execute(input, output, scratch, Batch);

    public void RunOnnxRuntime() => session.Run(runOptions, inputNames, ortInputs, outputNames, ortOutputs);

    /// <summary>Largest difference between the two outputs relative to the largest output magnitude.</summary>
    public double MaxRelativeDifference()
    {
        RunOurs();
        RunOnnxRuntime();
        double maxDiff = 0, maxAbs = 0;
        for (var i = 0; i < output.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(output[i] - ortOutput[i]));
            maxAbs = Math.Max(maxAbs, Math.Abs(ortOutput[i]));
        }

        return maxDiff / Math.Max(maxAbs, 1e-30);
    }

    public void Dispose()
    {
        foreach (var value in ortInputs.Concat(ortOutputs))
        {
            value.Dispose();
        }

        session.Dispose();
        runOptions.Dispose();
    }
}
