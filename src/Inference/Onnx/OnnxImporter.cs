using ConvService.Inference.Engine;
using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Planning;
using ConvService.Inference.Engine.Planning.Constants;
using ConvService.Inference.Errors;
using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;

namespace ConvService.Inference.Onnx;

/// <summary>
/// Parses and validates an ONNX file into a <see cref="ModelGraph"/>. Every problem found is collected and
/// reported together; nothing named inside the model is ever opened.
/// </summary>
internal static class OnnxImporter
{
    public static ModelGraph Import(ReadOnlySpan<byte> bytes, EngineOptions options)
    {
        if (bytes.Length > options.MaxModelBytes)
        {
            throw ConvServiceException.OverLimit(
                ModelProblems.Title,
                $"The model file has {bytes.Length} bytes, more than the limit of {options.MaxModelBytes}. Use a smaller model or raise the limit.");
        }

        var model = Parse(bytes);
        return Validate(model, options);
    }

    private static ModelProto Parse(ReadOnlySpan<byte> bytes)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or ArgumentException or InvalidOperationException)
        {
            throw ModelProblems.Single($"The file is not a readable ONNX model ({e.Message.TrimEnd('.')}). It is truncated, corrupt or not an ONNX file; export the model again and upload the complete .onnx file.");
        }

        if (model.Graph is null || model.IrVersion <= 0 || model.Graph.Node.Count == 0)
        {
            throw ModelProblems.Single("The file is not an ONNX model: it has no IR version or no graph with nodes. Upload a .onnx file exported by an ONNX exporter.");
        }

        return model;
    }

    private static ModelGraph Validate(ModelProto model, EngineOptions options)
    {
        var problems = new ModelProblems();
        var graph = model.Graph;
        var opset = ReadOpset(model, options, problems);

        if (graph.Node.Count > options.MaxNodes)
        {
            problems.Add($"The graph has {graph.Node.Count} nodes, more than the limit of {options.MaxNodes}. Use a smaller model or raise the limit.");
            problems.ThrowIfAny();
        }

        var constants = new Dictionary<string, ConstantTensor>();
        foreach (var initializer in graph.Initializer)
        {
            var tensor = TensorReader.Read(initializer, $"Initializer '{initializer.Name}'", options, problems);
            if (tensor is not null)
            {
                constants[initializer.Name] = tensor;
            }
        }

        var initializerNames = graph.Initializer.Select(i => i.Name).ToHashSet();
        var inputs = new List<GraphInput>();
        foreach (var input in graph.Input.Where(i => !initializerNames.Contains(i.Name)))
        {
            var parsed = ReadInput(input, options, problems);
            if (parsed is not null)
            {
                inputs.Add(parsed);
            }
        }

        if (inputs.Count == 0 && graph.Input.Count(i => !initializerNames.Contains(i.Name)) == 0)
        {
            problems.Add("The graph declares no runtime input. Declare the image tensor as a graph input.");
        }

        var unsupportedOutputs = new HashSet<string>();
        var nodes = ReadNodes(graph, opset, options, constants, unsupportedOutputs, problems);
        CheckWiring(graph, nodes, constants, initializerNames.Concat(unsupportedOutputs).ToHashSet(), problems);

        var available = new HashSet<string>(constants.Keys.Concat(graph.Input.Select(i => i.Name)));
        var (ordered, unordered) = TopologicalOrder.Sort(nodes, available);
        if (unordered.Count > 0)
        {
            problems.Add($"The graph has a cycle through the nodes {string.Join(", ", unordered.Select(n => $"'{n.Name}' ({n.OpType})"))}. ONNX graphs must be acyclic; re-export the model.");
        }

        problems.ThrowIfAny();
        return new ModelGraph(ordered, constants, inputs, graph.Output.Select(o => o.Name).ToList(), opset);
    }

    private static int ReadOpset(ModelProto model, EngineOptions options, ModelProblems problems)
    {
        var entry = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        if (entry is null)
        {
            problems.Add($"The model imports no version of the default ONNX operator set. Export it with an opset from {options.MinOpset} to {options.MaxOpset}.");
            return options.MaxOpset;
        }

        if (entry.Version < options.MinOpset || entry.Version > options.MaxOpset)
        {
            problems.Add($"The model uses ONNX opset {entry.Version}; supported are {options.MinOpset} to {options.MaxOpset}. Convert it (e.g. onnx.version_converter) to an opset in that range.");
        }

        return (int)Math.Clamp(entry.Version, 1, 1000);
    }

    private static GraphInput? ReadInput(ValueInfoProto input, EngineOptions options, ModelProblems problems)
    {
        var tensorType = input.Type?.TensorType;
        if (tensorType is null || tensorType.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            problems.Add($"Graph input '{input.Name}' is not a float32 tensor; only float32 inputs are supported. Add a Cast inside the exporter or export with float32 inputs.");
            return null;
        }

        var shape = tensorType.Shape;
        if (shape is null || shape.Dim.Count == 0)
        {
            problems.Add($"Graph input '{input.Name}' has no declared shape. Export the model with a fixed input shape (e.g. [N, 3, 224, 224]).");
            return null;
        }

        var dims = new int[shape.Dim.Count];
        var symbols = new string?[dims.Length];
        long count = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            var dim = shape.Dim[i];
            if (dim.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue)
            {
                // A symbolic (or unnamed unknown) dimension: its size is given per session or request.
                symbols[i] = dim.DimParam.Length > 0 ? dim.DimParam : i == 0 ? "N" : $"{input.Name}_dim{i}";
                dims[i] = -1;
                continue;
            }

            var d = dim.DimValue;
            // A zero dimension is an empty tensor, which ONNX allows; only negative or over-limit sizes are refused.
            if (d < 0 || d > options.MaxElementsPerTensor || (d > 0 && count > options.MaxElementsPerTensor / d))
            {
                problems.Add($"Graph input '{input.Name}' declares dimensions [{string.Join(", ", shape.Dim.Select(x => x.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? x.DimValue.ToString() : x.DimParam))}], beyond the limit of {options.MaxElementsPerTensor} elements per tensor (or negative). Use smaller inputs or raise the limit.");
                return null;
            }

            dims[i] = (int)d;
            count *= d;
        }

        return new GraphInput(input.Name, dims, symbols);
    }

    /// <summary>The supported nodes; the outputs of the others go to <paramref name="unsupportedOutputs"/>, so readers of them are not reported as dangling too.</summary>
    private static List<GraphNode> ReadNodes(GraphProto graph, int opset, EngineOptions options, Dictionary<string, ConstantTensor> constants, HashSet<string> unsupportedOutputs, ModelProblems problems)
    {
        var nodes = new List<GraphNode>(graph.Node.Count);
        var unsupported = new List<string>();
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var proto = graph.Node[i];
            var name = proto.Name.Length > 0 ? proto.Name : $"{proto.OpType}_{i}";
            if (proto.Domain is not ("" or "ai.onnx") || !(OperatorCatalog.IsSupported(proto.OpType) || ConstantEvaluator.IsSupported(proto.OpType)))
            {
                var domain = proto.Domain is "" or "ai.onnx" ? string.Empty : $" from domain '{proto.Domain}'";
                unsupported.Add($"'{name}' ({proto.OpType}{domain})");
                unsupportedOutputs.UnionWith(proto.Output);
                continue;
            }

            var attributes = new NodeAttributes(LegacyAttributes.Normalize(proto, opset));
            if (proto.OpType == "Constant" && proto.Output.Count == 1)
            {
                var value = ReadConstantNode(attributes, name, options, problems);
                if (value is not null)
                {
                    constants[proto.Output[0]] = value;
                }

                continue;
            }

            nodes.Add(new GraphNode(name, proto.OpType, [.. proto.Input], [.. proto.Output], attributes));
        }

        if (unsupported.Count > 0)
        {
            problems.Add($"Unsupported operators in {unsupported.Count} node(s): {string.Join(", ", unsupported)}. Supported operators are {string.Join(", ", OperatorCatalog.Names.Union(ConstantEvaluator.Names).Order(StringComparer.Ordinal))} (of these, {string.Join(", ", ConstantEvaluator.Names.Except(OperatorCatalog.Names))} only on constants and shapes); replace the others in the exporter or simplify the model.");
        }

        return nodes;
    }

    private static ConstantTensor? ReadConstantNode(NodeAttributes attributes, string name, EngineOptions options, ModelProblems problems)
    {
        var tensor = attributes.Tensor("value");
        if (tensor is not null)
        {
            return TensorReader.Read(tensor, $"Constant node '{name}'", options, problems);
        }

        if (attributes.Has("value_float"))
        {
            return ConstantTensor.OfFloats([], [attributes.Float("value_float", 0f)]);
        }

        if (attributes.Floats("value_floats") is { } floats)
        {
            return ConstantTensor.OfFloats([floats.Length], floats);
        }

        if (attributes.Has("value_int"))
        {
            return ConstantTensor.OfIntegers([], [attributes.Int("value_int", 0)]);
        }

        if (attributes.Ints("value_ints") is { } ints)
        {
            return ConstantTensor.OfIntegers([ints.Length], ints);
        }

        problems.Add($"Constant node '{name}' has no value, value_float(s) or value_int(s) attribute. Re-export the model.");
        return null;
    }

    private static void CheckWiring(GraphProto graph, List<GraphNode> nodes, Dictionary<string, ConstantTensor> constants, HashSet<string> knownNames, ModelProblems problems)
    {
        var known = new HashSet<string>(graph.Input.Select(i => i.Name).Concat(knownNames).Concat(constants.Keys));
        foreach (var output in nodes.SelectMany(n => n.Outputs))
        {
            known.Add(output);
        }

        foreach (var node in nodes)
        {
            foreach (var input in node.Inputs.Where(i => i.Length > 0 && !known.Contains(i)))
            {
                problems.Add($"Node '{node.Name}' ({node.OpType}) reads '{input}', which no input, initializer or node produces. The graph is incomplete; re-export it.");
            }
        }

        foreach (var output in graph.Output.Where(o => !known.Contains(o.Name)))
        {
            problems.Add($"Graph output '{output.Name}' is produced by no node. The graph is incomplete; re-export it.");
        }

        if (graph.Output.Count == 0)
        {
            problems.Add("The graph declares no output. Declare at least one graph output.");
        }
    }
}
