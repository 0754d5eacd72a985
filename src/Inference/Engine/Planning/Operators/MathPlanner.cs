using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Pairwise;
using ConvService.Inference.Operators.Unary;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Element-wise math and activations, Pow and PRelu with broadcasting, and Min, Max, Sum and Mean over any number of inputs.</summary>
internal static class MathPlanner
{
    private static readonly Dictionary<string, UnaryKind> Plain = new()
    {
        ["Exp"] = UnaryKind.Exp,
        ["Log"] = UnaryKind.Log,
        ["Sqrt"] = UnaryKind.Sqrt,
        ["Reciprocal"] = UnaryKind.Reciprocal,
        ["Abs"] = UnaryKind.Abs,
        ["Neg"] = UnaryKind.Neg,
        ["Sign"] = UnaryKind.Sign,
        ["Floor"] = UnaryKind.Floor,
        ["Ceil"] = UnaryKind.Ceil,
        ["Round"] = UnaryKind.Round,
        ["Erf"] = UnaryKind.Erf,
        ["Sin"] = UnaryKind.Sin,
        ["Cos"] = UnaryKind.Cos,
        ["Tan"] = UnaryKind.Tan,
        ["Asin"] = UnaryKind.Asin,
        ["Acos"] = UnaryKind.Acos,
        ["Atan"] = UnaryKind.Atan,
        ["Sinh"] = UnaryKind.Sinh,
        ["Cosh"] = UnaryKind.Cosh,
        ["Asinh"] = UnaryKind.Asinh,
        ["Acosh"] = UnaryKind.Acosh,
        ["Atanh"] = UnaryKind.Atanh,
        ["Softplus"] = UnaryKind.Softplus,
        ["Softsign"] = UnaryKind.Softsign,
        ["Mish"] = UnaryKind.Mish,
    };

    /// <summary>Every operator type this planner handles, for the catalog.</summary>
    public static IEnumerable<(string OpType, Action<NodeContext> Planner)> Operators =>
        Plain.Keys.Concat(["Elu", "Selu", "Celu", "ThresholdedRelu", "Gelu", "Shrink"]).Select(op => (op, (Action<NodeContext>)Unary))
            .Concat([("Pow", Pow), ("Mod", Mod), ("PRelu", PRelu), ("Min", Variadic), ("Max", Variadic), ("Sum", Variadic), ("Mean", Variadic)]);

    public static void Unary(NodeContext context)
    {
        var shape = context.Shape(0);
        var function = Function(context);
        var input = context.Operand(0);
        var output = context.Output(0, shape);
        context.AddStep(new UnaryStep(input, output, function, context.Options.Simd));
    }

    public static void Pow(NodeContext context)
    {
        var x = context.Shape(0);
        var y = LegacyBroadcast(context, x, context.Shape(1));
        if (context.Constant(1) is { Length: 1 } exponent && TensorShape.Elements(y) == 1 && y.Length <= x.Length)
        {
            // The common constant exponents have exact products; MathF.Pow runs only for the rest.
            var e = exponent.AsFloats()[0];
            if (e is 2f or 3f)
            {
                var input = context.Operand(0);
                var result = context.Output(0, x);
                context.AddStep(new UnaryStep(input, result, new UnaryFunction(e == 2f ? UnaryKind.Square : UnaryKind.Cube), context.Options.Simd));
                return;
            }
        }

        Pairwise(context, PairwiseKind.Pow, x, y, BroadcastLayout.BroadcastShape(x, y) ?? throw NoBroadcast(context, x, y));
    }

    /// <summary>Mod of float tensors computed per request (shape arithmetic on integers is folded while planning).</summary>
    public static void Mod(NodeContext context)
    {
        if (context.Attributes.Int("fmod", 0) == 0)
        {
            throw context.Fail("fmod 0 (the remainder with the divisor's sign) is defined for integer tensors; a float Mod must set fmod 1");
        }

        var x = context.Shape(0);
        var y = context.Shape(1);
        Pairwise(context, PairwiseKind.Mod, x, y, BroadcastLayout.BroadcastShape(x, y) ?? throw NoBroadcast(context, x, y));
    }

    public static void PRelu(NodeContext context)
    {
        var x = context.Shape(0);
        var slope = context.Shape(1);

        // Before opset 7 a one-dimensional slope is per channel (or one shared value), not numpy-aligned.
        if (context.Opset < 7 && slope.Length == 1 && x.Length > 2 && slope[0] == x[1])
        {
            slope = [slope[0], .. Enumerable.Repeat(1, x.Length - 2)];
        }

        if (BroadcastLayout.BroadcastShape(x, slope) is not { } shape || !shape.SequenceEqual(x))
        {
            throw context.Fail($"the slope {TensorShape.Format(slope)} does not broadcast to the input {TensorShape.Format(x)}");
        }

        Pairwise(context, PairwiseKind.PRelu, x, slope, x);
    }

    public static void Variadic(NodeContext context)
    {
        var op = context.Node.OpType;
        var kind = op switch
        {
            "Min" => PairwiseKind.Min,
            "Max" => PairwiseKind.Max,
            _ => PairwiseKind.Add,
        };
        var count = context.InputCount;
        if (count == 0 || Enumerable.Range(0, count).Any(i => !context.Has(i)))
        {
            throw context.Fail($"{op} needs one or more inputs, none of them empty");
        }

        var shapes = Enumerable.Range(0, count).Select(context.Shape).ToArray();
        var shape = BroadcastLayout.BroadcastShape(shapes) ?? throw context.Fail($"the input shapes {string.Join(", ", shapes.Select(s => TensorShape.Format(s)))} do not broadcast to one shape");
        var operands = Enumerable.Range(0, count).Select(context.Operand).ToArray();
        var output = context.Output(0, shape);
        var level = context.Options.Simd;

        // The first step writes the output from the first two inputs (one input: max(x, x), an exact copy);
        // each further input is folded into the output in place.
        var second = count > 1 ? 1 : 0;
        var firstKind = count > 1 ? kind : PairwiseKind.Max;
        context.AddStep(new PairwiseStep(firstKind, Layout(context, shapes[0], shapes[second], shape), operands[0], operands[second], output, level));
        for (var i = 2; i < count; i++)
        {
            context.AddStep(new PairwiseStep(kind, Layout(context, shape, shapes[i], shape), Operand.OfSlot(output), operands[i], output, level));
        }

        if (op == "Mean" && count > 1)
        {
            context.AddStep(new UnaryStep(Operand.OfSlot(output), output, new UnaryFunction(UnaryKind.Affine, 1f / count, 0f), level));
        }
    }

    private static UnaryFunction Function(NodeContext context)
    {
        var op = context.Node.OpType;
        var a = context.Attributes;
        if (Plain.TryGetValue(op, out var kind))
        {
            return new UnaryFunction(kind);
        }

        return op switch
        {
            "Elu" => new UnaryFunction(UnaryKind.Elu, a.Float("alpha", 1f)),
            "Selu" => new UnaryFunction(UnaryKind.Selu, a.Float("alpha", 1.67326319217681884765625f), a.Float("gamma", 1.05070102214813232421875f)),
            "Celu" => new UnaryFunction(UnaryKind.Celu, a.Float("alpha", 1f)),
            "ThresholdedRelu" => new UnaryFunction(UnaryKind.ThresholdedRelu, a.Float("alpha", 1f)),
            "Shrink" => new UnaryFunction(UnaryKind.Shrink, a.Float("lambd", 0.5f), a.Float("bias", 0f)),
            "Gelu" => a.String("approximate", "none") switch
            {
                "none" => new UnaryFunction(UnaryKind.Gelu),
                "tanh" => new UnaryFunction(UnaryKind.GeluTanh),
                var other => throw context.Fail($"Gelu's approximate attribute is '{other}'; 'none' and 'tanh' are defined"),
            },
            _ => throw context.Fail($"{op} is not an element-wise math operator"),
        };
    }

    private static void Pairwise(NodeContext context, PairwiseKind kind, int[] a, int[] b, int[] shape)
    {
        var layout = Layout(context, a, b, shape);
        var left = context.Operand(0);
        var right = context.Operand(1);
        var output = context.Output(0, shape);
        context.AddStep(new PairwiseStep(kind, layout, left, right, output, context.Options.Simd));
    }

    private static BroadcastLayout Layout(NodeContext context, int[] a, int[] b, int[] shape) =>
        BroadcastLayout.Create(a, b, shape) ?? throw NoBroadcast(context, a, b);

    private static PlanningException NoBroadcast(NodeContext context, int[] a, int[] b) =>
        context.Fail($"shapes {TensorShape.Format(a)} and {TensorShape.Format(b)} do not broadcast");

    /// <summary>Before opset 7, broadcast = 1 with an axis aligns the second operand at that axis instead of at the end.</summary>
    private static int[] LegacyBroadcast(NodeContext context, int[] x, int[] y)
    {
        if (context.Opset >= 7 || context.Attributes.Int("broadcast", 0) == 0 || !context.Attributes.Has("axis"))
        {
            return y;
        }

        var axis = context.Axis(context.Attributes.Int("axis", 0), x.Length);
        var trailing = x.Length - axis - y.Length;
        if (trailing < 0)
        {
            throw context.Fail($"the second operand {TensorShape.Format(y)} does not fit at axis {axis} of {TensorShape.Format(x)}");
        }

        return [.. y, .. Enumerable.Repeat(1, trailing)];
    }
}
