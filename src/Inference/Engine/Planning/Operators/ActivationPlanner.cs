using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Element-wise activations: read their parameters once, run one vectorised pass.</summary>
internal static class ActivationPlanner
{
    public static void Plan(NodeContext context)
    {
        var activation = Read(context.Node, name => context.Has(name) ? context.RequireConstant(name, "the clip bound").AsFloats()[0] : null);
        var shape = context.Shape(0);
        var input = context.Operand(0);
        var output = context.Output(0, shape);
        context.AddStep(new ActivationStep(input, output, activation, context.Options.Simd));
    }

    /// <summary>
    /// The activation a node computes. <paramref name="constantInput"/> reads Clip's min/max inputs (opset 11+)
    /// and returns null when an input is absent.
    /// </summary>
    public static FusedActivation Read(GraphNode node, Func<int, float?> constantInput)
    {
        var a = node.Attributes;
        return node.OpType switch
        {
            "Relu" => FusedActivation.Relu,
            "LeakyRelu" => new FusedActivation(ActivationKind.LeakyRelu, a.Float("alpha", 0.01f)),
            "Clip" => new FusedActivation(
                ActivationKind.Clip,
                constantInput(1) ?? a.Float("min", float.NegativeInfinity),
                constantInput(2) ?? a.Float("max", float.PositiveInfinity)),
            "Sigmoid" => new FusedActivation(ActivationKind.Sigmoid),
            "HardSigmoid" => new FusedActivation(ActivationKind.HardSigmoid, a.Float("alpha", 0.2f), a.Float("beta", 0.5f)),
            "HardSwish" => new FusedActivation(ActivationKind.HardSwish),
            "Tanh" => new FusedActivation(ActivationKind.Tanh),
            _ => throw new PlanningException($"{node.OpType} is not an activation"),
        };
    }

    public static bool IsActivation(string opType) =>
        opType is "Relu" or "LeakyRelu" or "Clip" or "Sigmoid" or "HardSigmoid" or "HardSwish" or "Tanh";
}
