using System.Runtime.InteropServices;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;
using L = ConvService.Inference.Training.LeNet5Layout;

namespace ConvService.Inference.Training;

/// <summary>
/// Writes LeNet-5 weights as an ONNX model (opset 13: Conv, Relu, MaxPool, Flatten, Gemm with transB=1, Softmax)
/// and reads them back. Input "input" [N,1,28,28], output "probabilities" [N,10], batch dimension symbolic "N".
/// </summary>
public static class LeNet5Onnx
{
    public const string InputName = "input";
    public const string OutputName = "probabilities";
    public const string BatchDimension = "N";
    public const int OpsetVersion = 13;

    /// <summary>IR version 7 is the one that goes with opset 13.</summary>
    public const int IrVersion = 7;

    /// <summary>The key under which the class labels are stored in metadata_props, as a JSON array of strings.</summary>
    public const string LabelsMetadataKey = "labels";

    public static ModelProto Export(LeNet5Parameters parameters, IReadOnlyList<string> labels, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != L.Classes)
        {
            throw new ArgumentException($"LeNet-5 has {L.Classes} classes; give exactly {L.Classes} labels, not {labels.Count}.", nameof(labels));
        }

        var graph = new GraphProto { Name = "lenet5" };
        graph.Input.Add(TensorValue(InputName, 1, L.ImageSize, L.ImageSize));
        graph.Output.Add(TensorValue(OutputName, L.Classes));
        foreach (var tensor in L.Tensors)
        {
            graph.Initializer.Add(Initializer(tensor, parameters[tensor]));
        }

        graph.Node.Add(Conv("conv1", InputName, L.Conv1Weight, L.Conv1Bias, L.Conv1Padding));
        graph.Node.Add(Node("Relu", "relu1", ["conv1"]));
        graph.Node.Add(MaxPool("pool1", "relu1"));
        graph.Node.Add(Conv("conv2", "pool1", L.Conv2Weight, L.Conv2Bias, 0));
        graph.Node.Add(Node("Relu", "relu2", ["conv2"]));
        graph.Node.Add(MaxPool("pool2", "relu2"));
        graph.Node.Add(Node("Flatten", "flatten", ["pool2"], IntAttribute("axis", 1)));
        graph.Node.Add(Gemm("fc1", "flatten", L.Fc1Weight, L.Fc1Bias));
        graph.Node.Add(Node("Relu", "relu3", ["fc1"]));
        graph.Node.Add(Gemm("fc2", "relu3", L.Fc2Weight, L.Fc2Bias));
        graph.Node.Add(Node("Relu", "relu4", ["fc2"]));
        graph.Node.Add(Gemm("fc3", "relu4", L.Fc3Weight, L.Fc3Bias));
        var softmax = Node("Softmax", "softmax", ["fc3"], IntAttribute("axis", 1));
        softmax.Output[0] = OutputName;
        graph.Node.Add(softmax);

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ConvService.TrainLeNet",
            ProducerVersion = "1",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = LabelsMetadataKey,
            Value = System.Text.Json.JsonSerializer.Serialize(labels),
        });
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
        }

        return model;
    }

    /// <summary>Reads the weights of a model written by <see cref="Export"/>, matching initializers by name.</summary>
    public static LeNet5Parameters ImportParameters(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameters = new LeNet5Parameters();
        foreach (var tensor in L.Tensors)
        {
            var initializer = model.Graph?.Initializer.FirstOrDefault(t => t.Name == tensor.Name)
                ?? throw ConvServiceException.DoesNotFit(
                    "Not a LeNet-5 model",
                    $"The model has no initializer named '{tensor.Name}'; load a model written by the LeNet-5 exporter.");
            var dims = initializer.Dims.Select(d => (int)d).ToArray();
            if (!dims.SequenceEqual(tensor.Shape) || initializer.DataType != (int)TensorProto.Types.DataType.Float)
            {
                throw ConvServiceException.DoesNotFit(
                    "Not a LeNet-5 model",
                    $"Initializer '{tensor.Name}' is [{string.Join(',', dims)}] of data type {initializer.DataType}; LeNet-5 needs float [{string.Join(',', tensor.Shape)}].");
            }

            var target = parameters[tensor];
            if (initializer.RawData.Length == tensor.Length * sizeof(float))
            {
                MemoryMarshal.Cast<byte, float>(initializer.RawData.Span).CopyTo(target);
            }
            else if (initializer.FloatData.Count == tensor.Length)
            {
                initializer.FloatData.CopyTo(parameters.Values, tensor.Offset);
            }
            else
            {
                throw ConvServiceException.DoesNotFit(
                    "Not a LeNet-5 model",
                    $"Initializer '{tensor.Name}' does not hold {tensor.Length} float values; re-export the model.");
            }
        }

        return parameters;
    }

    private static ValueInfoProto TensorValue(string name, params int[] fixedDims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (var d in fixedDims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }

    // Raw little-endian bytes: the compact encoding every ONNX reader accepts.
    private static TensorProto Initializer(ParameterTensor tensor, ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this exporter runs on little-endian machines only.");
        }

        var proto = new TensorProto
        {
            Name = tensor.Name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        proto.Dims.AddRange(tensor.Shape.Select(d => (long)d));
        return proto;
    }

    private static NodeProto Node(string opType, string name, string[] inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static NodeProto Conv(string name, string input, ParameterTensor weight, ParameterTensor bias, int padding) =>
        Node("Conv", name, [input, weight.Name, bias.Name],
            IntsAttribute("kernel_shape", L.KernelSize, L.KernelSize),
            IntsAttribute("strides", 1, 1),
            IntsAttribute("pads", padding, padding, padding, padding),
            IntsAttribute("dilations", 1, 1),
            IntAttribute("group", 1));

    private static NodeProto MaxPool(string name, string input) =>
        Node("MaxPool", name, [input], IntsAttribute("kernel_shape", 2, 2), IntsAttribute("strides", 2, 2));

    private static NodeProto Gemm(string name, string input, ParameterTensor weight, ParameterTensor bias) =>
        Node("Gemm", name, [input, weight.Name, bias.Name], IntAttribute("transB", 1));

    private static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
