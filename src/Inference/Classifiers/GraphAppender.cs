using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;

namespace ConvService.Inference.Classifiers;

/// <summary>
/// Adds nodes and constant tensors to an existing ONNX model (a loaded feature network or a new graph), so a
/// classifier head can be written behind any feature graph. Uses only operators that exist from opset 9 on, so it
/// works on the packaged ResNet-18 (opset 9) as well as on graphs written at opset 13.
/// </summary>
public sealed class GraphAppender
{
    private readonly ModelProto model;
    private int counter;

    public GraphAppender(ModelProto model)
    {
        this.model = model;
    }

    /// <summary>A new graph with one float input [N, channels, height, width] (N symbolic), at opset 13.</summary>
    public static GraphAppender Start(string inputName, int channels, int height, int width)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "ConvService", Graph = new GraphProto { Name = "classifier" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (var d in new[] { channels, height, width })
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        model.Graph.Input.Add(new ValueInfoProto
        {
            Name = inputName,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        });
        return new GraphAppender(model);
    }

    public ModelProto Model => model;

    public string InputName => model.Graph.Input.First(i => model.Graph.Initializer.All(t => t.Name != i.Name)).Name;

    public string OutputName => model.Graph.Output[0].Name;

    public long Opset => model.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain)).Select(o => o.Version).DefaultIfEmpty(1).Max();

    public string Constant(float[] values, params int[] dims)
    {
        var tensor = new TensorProto { Name = $"classifier/const{++counter}", DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        tensor.FloatData.AddRange(values);
        model.Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Integers(params long[] values)
    {
        var tensor = new TensorProto { Name = $"classifier/const{++counter}", DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        model.Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Node(string opType, string[] inputs, params AttributeProto[] attributes)
    {
        var name = $"classifier/{opType.ToLowerInvariant()}{++counter}";
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        model.Graph.Node.Add(node);
        return name;
    }

    /// <summary>Makes <paramref name="value"/> the model's only output: [N, width], or of any shape when width is null.</summary>
    public void SetOutput(string value, int? width)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float };
        if (width is { } w)
        {
            tensor.Shape = new TensorShapeProto();
            tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
            tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = w });
        }

        model.Graph.Output.Clear();
        model.Graph.Output.Add(new ValueInfoProto { Name = value, Type = new TypeProto { TensorType = tensor } });
    }

    public GraphAppender Clone() => new(model.Clone()) { counter = counter };

    public byte[] ToBytes() => model.ToByteArray();

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
