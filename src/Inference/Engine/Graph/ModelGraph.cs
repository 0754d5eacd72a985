namespace ConvService.Inference.Engine.Graph;

/// <summary>An imported, validated graph: nodes in topological order, constants by name, runtime inputs and outputs.</summary>
internal sealed class ModelGraph(List<GraphNode> nodes, Dictionary<string, ConstantTensor> constants, List<GraphInput> inputs, List<string> outputs, int opset)
{
    public List<GraphNode> Nodes { get; } = nodes;

    public Dictionary<string, ConstantTensor> Constants { get; } = constants;

    public List<GraphInput> Inputs { get; } = inputs;

    public List<string> Outputs { get; } = outputs;

    /// <summary>The model's version of the default ONNX operator set; decides attribute-vs-input forms and Softmax semantics.</summary>
    public int Opset { get; } = opset;

    /// <summary>How many node inputs and graph outputs read each value.</summary>
    public Dictionary<string, int> CountConsumers()
    {
        var counts = new Dictionary<string, int>();
        foreach (var node in Nodes)
        {
            foreach (var input in node.Inputs)
            {
                if (input.Length > 0)
                {
                    counts[input] = counts.GetValueOrDefault(input) + 1;
                }
            }
        }

        foreach (var output in Outputs)
        {
            counts[output] = counts.GetValueOrDefault(output) + 1;
        }

        return counts;
    }
}
