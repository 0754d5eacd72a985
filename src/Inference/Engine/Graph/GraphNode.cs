using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Engine.Graph;

/// <summary>One operator of the imported graph. Fusion rewrites Inputs/Outputs and records what it absorbed.</summary>
internal sealed class GraphNode(string name, string opType, string[] inputs, string[] outputs, NodeAttributes attributes)
{
    public string Name { get; } = name;

    public string OpType { get; } = opType;

    /// <summary>Input value names; an empty string marks an omitted optional input.</summary>
    public string[] Inputs { get; set; } = inputs;

    public string[] Outputs { get; set; } = outputs;

    public NodeAttributes Attributes { get; } = attributes;

    /// <summary>An activation fused into this (Conv) node.</summary>
    public FusedActivation Activation { get; set; } = FusedActivation.None;

    /// <summary>Names and op types of the nodes folded into this one (BatchNormalization, activations).</summary>
    public List<(string Name, string OpType)> Fused { get; } = [];

    public bool HasInput(int index) => index < Inputs.Length && Inputs[index].Length > 0;
}
