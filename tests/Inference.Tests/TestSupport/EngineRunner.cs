using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;

namespace ConvService.Inference.Tests.TestSupport;

/// <summary>Loads a model with our engine and runs it once, returning its first output (or a named one).</summary>
internal static class EngineRunner
{
    public static float[] Run(byte[] model, float[] input, int batch = 1, string? outputName = null, EngineOptions? options = null)
    {
        var compiled = OnnxModel.Load(model, options);
        using var session = compiled.CreateSession(batch);
        session.Run(input);
        return session.Output(outputName ?? session.Outputs[0].Name).ToArray();
    }

    /// <summary>Runs both engines on a seeded random input and asserts they agree within <paramref name="tolerance"/>.</summary>
    public static void AssertMatchesOrt(byte[] model, int[] inputShape, int seed = 7, double tolerance = 1e-4, string? outputName = null)
    {
        var input = Accuracy.Random(inputShape.Aggregate(1, (p, d) => p * d), seed);
        var expected = OrtOracle.Run(model, input, inputShape, outputName);
        var actual = Run(model, input, inputShape[0], outputName);
        Accuracy.AssertClose(expected, actual, tolerance);
    }
}
