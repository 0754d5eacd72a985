using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ConvService.Inference.Tests.TestSupport;

/// <summary>Runs a model with ONNX Runtime, the reference every engine output is compared against.</summary>
internal static class OrtOracle
{
    public static float[] Run(byte[] model, float[] input, int[] shape, string? outputName = null)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var inputName = session.InputMetadata.Keys.First();
        var tensor = new DenseTensor<float>(input, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)]);
        var result = outputName is null ? results.First() : results.First(r => r.Name == outputName);
        return result.AsEnumerable<float>().ToArray();
    }
}
