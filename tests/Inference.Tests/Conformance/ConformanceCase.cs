using ConvService.Inference.Engine;
using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;

namespace ConvService.Inference.Tests.Conformance;

/// <summary>
/// One case of ONNX's backend test suite, made runnable by a single-input engine: every runtime input but the first
/// becomes an initializer holding its test value, so shape, axes and index inputs are constants as exporters write
/// them. Read with the engine's own protobuf classes and tensor reader.
/// </summary>
internal sealed class ConformanceCase
{
    private static readonly EngineOptions ReadOptions = new() { MaxElementsPerTensor = 1L << 28 };

    private ConformanceCase(string name, byte[] model, ConstantTensor input, ConstantTensor expected)
    {
        Name = name;
        Model = model;
        Input = input;
        Expected = expected;
    }

    /// <summary>"folder/case", e.g. "node/test_abs".</summary>
    public string Name { get; }

    /// <summary>The case's model with inputs 1.. turned into initializers.</summary>
    public byte[] Model { get; }

    public ConstantTensor Input { get; }

    public ConstantTensor Expected { get; }

    /// <summary>
    /// The case as the suite's selection defines it (one float output; a float first input of rank one or more,
    /// since the engine's inputs are batched tensors), or null when the case falls outside it.
    /// </summary>
    public static ConformanceCase? TryRead(string name, string directory)
    {
        var data = Path.Combine(directory, "test_data_set_0");
        var modelPath = Path.Combine(directory, "model.onnx");
        if (!File.Exists(modelPath) || !File.Exists(Path.Combine(data, "output_0.pb")))
        {
            return null;
        }

        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath));
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet();
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (model.Graph.Output.Count != 1 || !IsFloat(model.Graph.Output[0]) || inputs.Count == 0 || !IsFloat(inputs[0])
            || File.Exists(Path.Combine(data, "output_1.pb")))
        {
            return null;
        }

        var first = ReadTensor(Path.Combine(data, "input_0.pb"));
        if (first.Dims.Count == 0)
        {
            return null;
        }

        for (var k = 1; k < inputs.Count; k++)
        {
            // The input stays declared in graph.input too, which every IR version allows for initializers.
            var value = ReadTensor(Path.Combine(data, $"input_{k}.pb"));
            value.Name = inputs[k].Name;
            model.Graph.Initializer.Add(value);
        }

        var output = ReadTensor(Path.Combine(data, "output_0.pb"));
        return new ConformanceCase(name, model.ToByteArray(), ToConstant(first, "input_0"), ToConstant(output, "output_0"));
    }

    private static bool IsFloat(ValueInfoProto value) =>
        value.Type?.TensorType is { } tensor && tensor.ElemType == (int)TensorProto.Types.DataType.Float;

    private static TensorProto ReadTensor(string path) => TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));

    private static ConstantTensor ToConstant(TensorProto tensor, string what)
    {
        var problems = new ModelProblems();
        var constant = TensorReader.Read(tensor, what, ReadOptions, problems);
        if (constant?.Floats is null)
        {
            throw new InvalidDataException($"{what} is not a readable float tensor");
        }

        return constant;
    }
}
