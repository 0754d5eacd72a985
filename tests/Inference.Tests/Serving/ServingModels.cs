using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;

namespace ConvService.Inference.Tests.Serving;

/// <summary>Small seeded models for the serving tests: fast to run at any batch.</summary>
internal static class ServingModels
{
    /// <summary>1x8x8 gray in, conv 3x3 (4 filters) + relu, flatten, fc 3, softmax; symbolic batch.</summary>
    public static byte[] TinyClassifierBytes(int seed = 3)
    {
        var b = new OnnxGraphBuilder(seed);
        var x = b.Input("input", [1, 1, 8, 8], "N");
        x = b.Relu(b.Conv(x, 4, 3, name: "conv"), "relu");
        x = b.Flatten(x);
        b.Output(b.Softmax(b.Gemm(x, 3, "fc")));
        return b.ToBytes();
    }

    public static CompiledModel TinyClassifier(int seed = 3) => OnnxModel.Load(TinyClassifierBytes(seed));

    public static float[] RandomImage(Random random, int length = 64) =>
        Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();

    /// <summary>The model's outputs for one image, run alone on a fresh session: the oracle for batched runs.</summary>
    public static float[] RunAlone(CompiledModel model, float[] image)
    {
        using var session = model.CreateSession(1);
        var output = new float[model.Outputs[0].ElementsPerImage];
        session.Run(image, output);
        return output;
    }
}
