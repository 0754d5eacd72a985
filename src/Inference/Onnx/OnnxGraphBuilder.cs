using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;

namespace ConvService.Inference.Onnx;

/// <summary>
/// Writes ONNX models from layer calls, with seeded random weights (He-uniform; BatchNormalization statistics
/// near identity), so networks can be instantiated and compared without downloaded weights. Tracks shapes so
/// each call only needs the layer's own hyper-parameters. Values are referred to by name.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto graph = new() { Name = "model" };
    private readonly Dictionary<string, int[]> shapes = [];
    private readonly Random random;
    private readonly int opset;
    private int counter;

    public OnnxGraphBuilder(int seed = 1, int opset = 13)
    {
        random = new Random(seed);
        this.opset = opset;
    }

    public int[] ShapeOf(string value) => shapes[value];

    /// <summary>A float32 graph input; a null batch symbol keeps dimension 0 fixed.</summary>
    public string Input(string name, int[] shape, string? batchSymbol = null)
    {
        var tensorShape = new TensorShapeProto();
        for (var i = 0; i < shape.Length; i++)
        {
            tensorShape.Dim.Add(i == 0 && batchSymbol is not null
                ? new TensorShapeProto.Types.Dimension { DimParam = batchSymbol }
                : new TensorShapeProto.Types.Dimension { DimValue = shape[i] });
        }

        graph.Input.Add(new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        });
        shapes[name] = shape;
        return name;
    }

    public void Output(string value)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var d in shapes[value])
        {
            tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        graph.Output.Add(new ValueInfoProto
        {
            Name = value,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        });
    }

    /// <summary>A float initializer with the given values.</summary>
    public string Initializer(string name, int[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        tensor.FloatData.AddRange(values);
        graph.Initializer.Add(tensor);
        shapes[name] = dims;
        return name;
    }

    public string IntegerInitializer(string name, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        shapes[name] = [values.Length];
        return name;
    }

    /// <summary>An int64 initializer of any shape (index tensors).</summary>
    public string IntegerInitializer(string name, int[] dims, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        shapes[name] = dims;
        return name;
    }

    /// <summary>A boolean initializer (conditions), stored as ONNX stores booleans: one int32 per value.</summary>
    public string BoolInitializer(string name, bool[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Bool };
        tensor.Dims.Add(values.Length);
        tensor.Int32Data.AddRange(values.Select(v => v ? 1 : 0));
        graph.Initializer.Add(tensor);
        shapes[name] = [values.Length];
        return name;
    }

    /// <summary>Uniform random values in [-bound, bound].</summary>
    public float[] RandomValues(int count, float bound)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        }

        return values;
    }

    public string Conv(
        string x, int outChannels, int kernel, int stride = 1, int pad = 0, int group = 1, int dilation = 1, bool bias = true, string? name = null) =>
        Conv(x, outChannels, [kernel, kernel], [stride, stride], [pad, pad, pad, pad], [dilation, dilation], group, bias, null, name);

    /// <summary>Conv with every attribute explicit; <paramref name="autoPad"/> replaces pads when set.</summary>
    public string Conv(
        string x, int outChannels, int[] kernel, int[] strides, int[] pads, int[] dilations, int group, bool bias, string? autoPad, string? name = null)
    {
        var input = shapes[x];
        name ??= Next("conv");
        var inPerGroup = input[1] / group;
        var fanIn = inPerGroup * kernel[0] * kernel[1];
        var w = Initializer($"{name}.weight", [outChannels, inPerGroup, kernel[0], kernel[1]], RandomValues(outChannels * fanIn, MathF.Sqrt(6f / fanIn)));
        List<string> inputs = [x, w];
        if (bias)
        {
            inputs.Add(Initializer($"{name}.bias", [outChannels], RandomValues(outChannels, 0.1f)));
        }

        var attributes = new List<AttributeProto> { Ints("kernel_shape", kernel), Ints("strides", strides), Ints("dilations", dilations), Int("group", group) };
        int outH, outW;
        if (autoPad is null)
        {
            attributes.Add(Ints("pads", pads));
            outH = (input[2] + pads[0] + pads[2] - (dilations[0] * (kernel[0] - 1) + 1)) / strides[0] + 1;
            outW = (input[3] + pads[1] + pads[3] - (dilations[1] * (kernel[1] - 1) + 1)) / strides[1] + 1;
        }
        else
        {
            attributes.Add(String("auto_pad", autoPad));
            outH = autoPad == "VALID" ? (input[2] - (dilations[0] * (kernel[0] - 1) + 1)) / strides[0] + 1 : (input[2] + strides[0] - 1) / strides[0];
            outW = autoPad == "VALID" ? (input[3] - (dilations[1] * (kernel[1] - 1) + 1)) / strides[1] + 1 : (input[3] + strides[1] - 1) / strides[1];
        }

        return Node("Conv", name, [.. inputs], [input[0], outChannels, outH, outW], [.. attributes]);
    }

    public string BatchNorm(string x, string? name = null)
    {
        name ??= Next("bn");
        var c = shapes[x][1];
        var scale = Initializer($"{name}.scale", [c], RandomValues(c, 0.5f).Select(v => v + 1f).ToArray());
        var shift = Initializer($"{name}.shift", [c], RandomValues(c, 0.1f));
        var mean = Initializer($"{name}.mean", [c], RandomValues(c, 0.1f));
        var variance = Initializer($"{name}.var", [c], RandomValues(c, 0.5f).Select(v => v + 1f).ToArray());
        return Node("BatchNormalization", name, [x, scale, shift, mean, variance], shapes[x], Float("epsilon", 1e-5f));
    }

    public string Relu(string x, string? name = null) => Node("Relu", name ?? Next("relu"), [x], shapes[x]);

    /// <summary>Any shape-preserving element-wise node (Sigmoid, Tanh, LeakyRelu, HardSigmoid, HardSwish, Clip with attributes...).</summary>
    public string Elementwise(string opType, string x, params AttributeProto[] attributes) =>
        Node(opType, Next(opType.ToLowerInvariant()), [x], shapes[x], attributes);

    public string MaxPool(string x, int kernel, int stride, int pad = 0, bool ceilMode = false, string? name = null) =>
        Pool("MaxPool", x, kernel, stride, pad, ceilMode, false, name);

    public string AveragePool(string x, int kernel, int stride, int pad = 0, bool ceilMode = false, bool countIncludePad = false, string? name = null) =>
        Pool("AveragePool", x, kernel, stride, pad, ceilMode, countIncludePad, name);

    public string GlobalAveragePool(string x, string? name = null)
    {
        var s = shapes[x];
        return Node("GlobalAveragePool", name ?? Next("gap"), [x], [s[0], s[1], 1, 1]);
    }

    public string Lrn(string x, int size, float alpha = 1e-4f, float beta = 0.75f, float bias = 1f) =>
        Node("LRN", Next("lrn"), [x], shapes[x], Int("size", size), Float("alpha", alpha), Float("beta", beta), Float("bias", bias));

    public string Concat(int axis, params string[] inputs)
    {
        var shape = (int[])shapes[inputs[0]].Clone();
        shape[axis] = inputs.Sum(i => shapes[i][axis]);
        return Node("Concat", Next("concat"), inputs, shape, Int("axis", axis));
    }

    public string Add(string a, string b, string? name = null) => Node("Add", name ?? Next("add"), [a, b], shapes[a]);

    public string Flatten(string x)
    {
        var s = shapes[x];
        return Node("Flatten", Next("flatten"), [x], [s[0], s.Skip(1).Aggregate(1, (p, d) => p * d)], Int("axis", 1));
    }

    /// <summary>A fully connected layer: Gemm with transB = 1 as PyTorch exports it.</summary>
    public string Gemm(string x, int outFeatures, string? name = null)
    {
        name ??= Next("fc");
        var inFeatures = shapes[x][1];
        var w = Initializer($"{name}.weight", [outFeatures, inFeatures], RandomValues(outFeatures * inFeatures, MathF.Sqrt(6f / inFeatures)));
        var b = Initializer($"{name}.bias", [outFeatures], RandomValues(outFeatures, 0.1f));
        return Node("Gemm", name, [x, w, b], [shapes[x][0], outFeatures], Float("alpha", 1f), Float("beta", 1f), Int("transB", 1));
    }

    public string Dropout(string x) => Node("Dropout", Next("dropout"), [x], shapes[x]);

    public string Softmax(string x, int axis = 1) => Node("Softmax", Next("softmax"), [x], shapes[x], Int("axis", axis));

    /// <summary>Adds any node; the caller states the output shape.</summary>
    public string Node(string opType, string name, string[] inputs, int[] outputShape, params AttributeProto[] attributes)
    {
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        shapes[name] = outputShape;
        return name;
    }

    /// <summary>Adds a node with several outputs, named name:0, name:1...</summary>
    public string[] MultiOutputNode(string opType, string name, string[] inputs, int[][] outputShapes, params AttributeProto[] attributes)
    {
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        var outputs = outputShapes.Select((s, i) => $"{name}:{i}").ToArray();
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        for (var i = 0; i < outputs.Length; i++)
        {
            shapes[outputs[i]] = outputShapes[i];
        }

        return outputs;
    }

    public ModelProto Build()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "ConvService", Graph = graph.Clone() };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return model;
    }

    public byte[] ToBytes() => Build().ToByteArray();

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params int[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values.Select(v => (long)v));
        return attribute;
    }

    private string Pool(string opType, string x, int kernel, int stride, int pad, bool ceilMode, bool countIncludePad, string? name)
    {
        var s = shapes[x];
        var outH = Operators.Pooling.PoolGeometry.OutputSize(s[2], kernel, stride, pad, pad, 1, ceilMode);
        var outW = Operators.Pooling.PoolGeometry.OutputSize(s[3], kernel, stride, pad, pad, 1, ceilMode);
        List<AttributeProto> attributes = [Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad), Int("ceil_mode", ceilMode ? 1 : 0)];
        if (opType == "AveragePool")
        {
            attributes.Add(Int("count_include_pad", countIncludePad ? 1 : 0));
        }

        return Node(opType, name ?? Next(opType.ToLowerInvariant()), [x], [s[0], s[1], outH, outW], [.. attributes]);
    }

    private string Next(string prefix) => $"{prefix}{++counter}";
}
