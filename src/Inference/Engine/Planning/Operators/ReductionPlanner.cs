using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Reduction;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// The Reduce operators (axes as an attribute, or as an input from ReduceSum-13 and the others' opset 18, with
/// keepdims and noop_with_empty_axes), ArgMax and ArgMin.
/// </summary>
internal static class ReductionPlanner
{
    public static IEnumerable<(string OpType, Action<NodeContext> Planner)> Operators =>
        Enum.GetValues<ReductionKind>().Select(k => ("Reduce" + k, (Action<NodeContext>)Reduce))
            .Concat([("ArgMax", ArgExtremum), ("ArgMin", ArgExtremum)]);

    public static void Reduce(NodeContext context)
    {
        var kind = Enum.Parse<ReductionKind>(context.Node.OpType["Reduce".Length..]);
        var x = context.Shape(0);
        var keepDims = context.Attributes.Int("keepdims", 1) != 0;
        var listed = context.IntegersFromInputOrAttribute(1, "axes");
        var axes = new HashSet<int>();
        if (listed is null || listed.Length == 0)
        {
            // No axes: every axis, unless noop_with_empty_axes asks for none (each element reduced alone).
            if (context.Attributes.Int("noop_with_empty_axes", 0) == 0)
            {
                axes.UnionWith(Enumerable.Range(0, x.Length));
            }
        }
        else
        {
            foreach (var axis in listed)
            {
                if (!axes.Add(context.Axis(axis, x.Length)))
                {
                    throw context.Fail($"axis {axis} is listed twice");
                }
            }
        }

        var shape = Enumerable.Range(0, x.Length).Where(d => keepDims || !axes.Contains(d)).Select(d => axes.Contains(d) ? 1 : x[d]).ToArray();
        var plan = ReductionPlan.Create(x, axes);
        var input = context.Operand(0);
        var output = context.Output(0, shape);
        context.AddStep(new ReductionStep(kind, plan, input, output, context.Options.Simd));
    }

    /// <summary>The indices are float values in the engine's float tensors (ONNX declares int64).</summary>
    public static void ArgExtremum(NodeContext context)
    {
        var x = context.Shape(0);
        if (x.Length == 0)
        {
            throw context.Fail("the input is a scalar, with no axis to search");
        }

        var axis = context.Axis(context.Attributes.Int("axis", 0), x.Length);
        var keepDims = context.Attributes.Int("keepdims", 1) != 0;
        var selectLast = context.Attributes.Int("select_last_index", 0) != 0;
        var shape = Enumerable.Range(0, x.Length).Where(d => keepDims || d != axis).Select(d => d == axis ? 1 : x[d]).ToArray();
        var input = context.Operand(0);
        var output = context.Output(0, shape);
        context.AddStep(new ArgExtremumStep(input, output, TensorShape.Product(x, 0, axis), x[axis], TensorShape.Product(x, axis + 1, x.Length), context.Node.OpType == "ArgMax", selectLast));
    }
}
