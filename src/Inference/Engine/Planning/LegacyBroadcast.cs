namespace ConvService.Inference.Engine.Planning;

/// <summary>
/// Before opset 7, binary operators broadcast only when asked (broadcast = 1), and then B lines up with A from
/// <c>axis</c> on rather than from the end. Such a B is shown to the planners with trailing 1s, which numpy
/// broadcasting then reads the same way.
/// </summary>
internal static class LegacyBroadcast
{
    private static readonly HashSet<string> Operators = ["Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less"];

    public static void Apply(NodeContext context)
    {
        var a = context.Attributes;
        if (context.Opset >= 7 || !Operators.Contains(context.Node.OpType) || a.Int("broadcast", 0) == 0 || !a.Has("axis") || !context.Has(1))
        {
            return;
        }

        var rankA = context.Shape(0).Length;
        var b = context.Shape(1);
        var axis = context.Axis(a.Int("axis", 0), rankA);
        var trailing = rankA - axis - b.Length;
        if (trailing < 0)
        {
            throw context.Fail($"B {TensorShape.Format(b)} does not fit into A {TensorShape.Format(context.Shape(0))} from axis {axis}");
        }

        if (trailing > 0)
        {
            context.ReplaceInput(1, [.. b, .. Enumerable.Repeat(1, trailing)]);
        }
    }
}
