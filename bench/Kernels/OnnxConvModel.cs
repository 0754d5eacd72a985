using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;

namespace ConvService.Bench.Kernels;

/// <summary>Builds a one-node ONNX model (X -> Conv(W, B) -> Y) in memory so ONNX Runtime can run the same layer.</summary>
public static class OnnxConvModel
{
    public static byte[] Build(in ConvGeometry g, int batch, float[] weights, float[] bias)
    {
        var node = new NodeProto { OpType = "Conv", Name = "conv" };
        node.Input.Add("X");
        node.Input.Add("W");
        node.Input.Add("B");
        node.Output.Add("Y");
        node.Attribute.Add(Ints("kernel_shape", g.KernelHeight, g.KernelWidth));
        node.Attribute.Add(Ints("strides", g.StrideH, g.StrideW));
        node.Attribute.Add(Ints("pads", g.PadTop, g.PadLeft, g.PadBottom, g.PadRight));
        node.Attribute.Add(Ints("dilations", g.DilationH, g.DilationW));
        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = g.Groups });

        var graph = new GraphProto { Name = "one_conv" };
        graph.Node.Add(node);
        graph.Initializer.Add(Tensor("W", weights, g.OutChannels, g.InChannelsPerGroup, g.KernelHeight, g.KernelWidth));
        graph.Initializer.Add(Tensor("B", bias, g.OutChannels));
        graph.Input.Add(Value("X", batch, g.InChannels, g.InHeight, g.InWidth));
        graph.Output.Add(Value("Y", batch, g.OutChannels, g.OutHeight, g.OutWidth));

        var model = new ModelProto { IrVersion = 8, ProducerName = "ConvService.Bench", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static TensorProto Tensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
