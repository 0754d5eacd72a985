using System.Runtime.InteropServices;
using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;

namespace ConvService.Inference.Tests.TestSupport;

/// <summary>
/// One case of ONNX's backend test suite (libonnx-testdata): the model with every input but the first turned into
/// an initializer holding its test value, the first input, and the expected first output.
/// </summary>
internal sealed record ConformanceCase(string Name, byte[] Model, float[] Input, int[] InputShape, float[] Expected)
{
    public const string NodeFolder = "/usr/share/libonnx-testdata/data/node";

    /// <summary>Null when the case is not float in, one float out.</summary>
    public static ConformanceCase? Load(string directory)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
        var data = Path.Combine(directory, "test_data_set_0");
        var graph = model.Graph;
        if (graph.Output.Count != 1 || graph.Output[0].Type?.TensorType?.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            return null;
        }

        var initialized = graph.Initializer.Select(i => i.Name).ToHashSet();
        var inputs = graph.Input.Where(i => !initialized.Contains(i.Name)).ToList();
        if (inputs.Count == 0 || inputs[0].Type?.TensorType?.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            return null;
        }

        var first = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(data, "input_0.pb")));
        for (var i = 1; i < inputs.Count; i++)
        {
            var value = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(data, $"input_{i}.pb")));
            value.Name = inputs[i].Name;
            graph.Initializer.Add(value);
            graph.Input.Remove(inputs[i]);
        }

        var expected = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(data, "output_0.pb")));
        return new ConformanceCase(Path.GetFileName(directory), model.ToByteArray(), Floats(first), [.. first.Dims.Select(d => (int)d)], Floats(expected));
    }

    private static float[] Floats(TensorProto tensor) =>
        tensor.RawData.IsEmpty ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
}
