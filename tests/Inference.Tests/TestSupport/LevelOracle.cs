using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ConvService.Inference.Tests.TestSupport;

/// <summary>
/// Runs a model with ONNX Runtime and with the engine at one SIMD level, on the same seeded input, and compares.
/// Integer outputs (ArgMax) are compared as the float values the engine writes.
/// </summary>
internal static class LevelOracle
{
    public static void AssertMatchesOrt(byte[] model, int[] inputShape, SimdLevel level, double tolerance, int seed = 11, Func<float, float>? shapeInput = null)
    {
        SimdLevels.Require(level);
        var input = Accuracy.Random(inputShape.Aggregate(1, (p, d) => p * d), seed, bound: 3f);
        if (shapeInput is not null)
        {
            input = Array.ConvertAll(input, shapeInput.Invoke);
        }

        var expected = RunOrt(model, input, inputShape);
        var compiled = OnnxModel.Load(model, new EngineOptions { Simd = level });
        using var session = compiled.CreateSession(inputShape[0]);
        session.Run(input);
        var actual = session.Output(session.Outputs[0].Name).ToArray();
        Accuracy.AssertClose(expected, actual, tolerance);
    }

    /// <summary>Declares the first graph output as int64, as ArgMax's is.</summary>
    public static byte[] WithInt64Output(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        proto.Graph.Output[0].Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int64;
        return proto.ToByteArray();
    }

    private static float[] RunOrt(byte[] model, float[] input, int[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var tensor = new DenseTensor<float>(input, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), tensor)]);
        var result = results.First();
        return result.Value is Tensor<long> indices ? indices.Select(v => (float)v).ToArray() : result.AsEnumerable<float>().ToArray();
    }

    public static TheoryData<SimdLevel> Levels()
    {
        var data = new TheoryData<SimdLevel>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            data.Add(level);
        }

        return data;
    }
}
