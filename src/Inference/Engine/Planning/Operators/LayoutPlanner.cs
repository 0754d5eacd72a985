using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Operators that move data without arithmetic: Concat, Split, Transpose, Pad.</summary>
internal static class LayoutPlanner
{
    public static void Concat(NodeContext context)
    {
        var first = context.Shape(0);
        var axis = context.Axis(context.Attributes.Int("axis", 1), first.Length);
        var shape = (int[])first.Clone();
        shape[axis] = 0;
        for (var i = 0; i < context.InputCount; i++)
        {
            var s = context.Shape(i);
            for (var d = 0; d < s.Length; d++)
            {
                if (s.Length != first.Length || (d != axis && s[d] != first[d]))
                {
                    throw context.Fail($"input {i} {TensorShape.Format(s)} does not match {TensorShape.Format(first)} outside axis {axis}");
                }
            }

            shape[axis] += s[axis];
        }

        var outer = TensorShape.Product(shape, 0, axis);
        var inner = TensorShape.Product(shape, axis + 1, shape.Length);
        if (Enumerable.Range(0, context.InputCount).All(i => context.Constant(i) is not null))
        {
            FoldConcat(context, shape, outer, inner, axis);
            return;
        }

        var operands = Enumerable.Range(0, context.InputCount).Select(context.Operand).ToArray();
        var rows = Enumerable.Range(0, context.InputCount).Select(i => context.Shape(i)[axis] * inner).ToArray();
        var output = context.Output(0, shape);
        context.AddStep(new ConcatStep(operands, rows, output, shape[axis] * inner, outer));
    }

    public static void Split(NodeContext context)
    {
        var x = context.Shape(0);
        var axis = context.Axis(context.Attributes.Int("axis", 0), x.Length);
        var count = context.Node.Outputs.Length;
        var sizes = context.IntegersFromInputOrAttribute(1, "split");
        if (sizes is null && context.Attributes.Has("num_outputs"))
        {
            // Opset 18: chunks of ceil(size / n), the last one smaller.
            var chunk = (x[axis] + count - 1) / count;
            sizes = Enumerable.Range(0, count).Select(i => (long)Math.Clamp(x[axis] - (i * chunk), 0, chunk)).ToArray();
        }
        else if (sizes is null)
        {
            if (x[axis] % count != 0)
            {
                throw context.Fail($"axis {axis} of size {x[axis]} does not split evenly into {count} outputs");
            }

            sizes = Enumerable.Repeat((long)(x[axis] / count), count).ToArray();
        }

        if (sizes.Length != count || sizes.Sum() != x[axis] || sizes.Any(s => s < 0))
        {
            throw context.Fail($"split sizes [{string.Join(", ", sizes)}] do not add up to {x[axis]} over {count} outputs");
        }

        var outer = TensorShape.Product(x, 0, axis);
        var inner = TensorShape.Product(x, axis + 1, x.Length);
        var input = context.Operand(0);
        var outputs = new int[count];
        var rows = new int[count];
        for (var i = 0; i < count; i++)
        {
            var shape = (int[])x.Clone();
            shape[axis] = (int)sizes[i];
            rows[i] = shape[axis] * inner;
            outputs[i] = context.OutputUsed(i) ? context.Output(i, shape) : -1;
        }

        context.AddStep(new SplitStep(input, x[axis] * inner, outputs, rows, outer));
    }

    public static void Transpose(NodeContext context)
    {
        var x = context.Shape(0);
        var perm = context.Attributes.Ints("perm")?.Select(p => (int)p).ToArray() ?? Enumerable.Range(0, x.Length).Reverse().ToArray();
        if (perm.Length != x.Length || perm.Order().Where((p, i) => p != i).Any())
        {
            throw context.Fail($"perm [{string.Join(", ", perm)}] is not a permutation of the {x.Length} axes");
        }

        var shape = perm.Select(p => x[p]).ToArray();
        var input = context.Operand(0);
        var output = context.Output(0, shape);
        context.AddStep(new TransposeStep(input, output, x, perm));
    }

    public static void Pad(NodeContext context)
    {
        var x = context.Shape(0);
        var pads = context.IntegersFromInputOrAttribute(1, "pads") ?? context.Attributes.Ints("paddings") ?? throw context.Fail("no pads given");
        if (context.Has(3))
        {
            // Opset 18: pads name only the listed axes; the others are not padded.
            var axes = context.RequireConstant(3, "the axes").AsIntegers().Select(a => context.Axis(a, x.Length)).ToArray();
            if (pads.Length != 2 * axes.Length || axes.Distinct().Count() != axes.Length)
            {
                throw context.Fail($"pads [{string.Join(", ", pads)}] must have two values for each of the {axes.Length} axes");
            }

            var full = new long[2 * x.Length];
            for (var i = 0; i < axes.Length; i++)
            {
                full[axes[i]] = pads[i];
                full[x.Length + axes[i]] = pads[axes.Length + i];
            }

            pads = full;
        }

        if (pads.Length != 2 * x.Length || pads.Any(p => p < 0 || p > 1 << 20))
        {
            throw context.Fail($"pads [{string.Join(", ", pads)}] must be {2 * x.Length} non-negative numbers (negative pads are not supported)");
        }

        var mode = context.Attributes.String("mode", "constant") switch
        {
            "constant" => PadMode.Constant,
            "reflect" => PadMode.Reflect,
            "edge" => PadMode.Edge,
            var other => throw context.Fail($"pad mode '{other}' is not one of constant, reflect, edge"),
        };
        var value = context.Has(2) ? context.RequireConstant(2, "the pad value").AsFloats()[0] : context.Attributes.Float("value", 0f);
        var begins = pads.Take(x.Length).Select(p => (int)p).ToArray();
        var shape = x.Select((d, i) => d + (int)pads[i] + (int)pads[i + x.Length]).ToArray();
        if (mode == PadMode.Reflect && x.Where((d, i) => begins[i] >= d || pads[i + x.Length] >= d).Any())
        {
            throw context.Fail("reflect pads must be smaller than the axis they pad");
        }

        var input = context.Operand(0);
        var output = context.Output(0, shape);
        context.AddStep(new PadStep(input, output, x, shape, begins, mode, value));
    }

    private static void FoldConcat(NodeContext context, int[] shape, int outer, int inner, int axis)
    {
        var integers = Enumerable.Range(0, context.InputCount).All(i => context.Constant(i)!.Integers is not null);
        var result = new float[TensorShape.Elements(shape)];
        var offset = 0;
        for (var i = 0; i < context.InputCount; i++)
        {
            var row = context.Shape(i)[axis] * inner;
            BlockCopy.Concat(context.Constant(i)!.AsFloats(), row, result, shape[axis] * inner, offset, outer);
            offset += row;
        }

        context.OutputConstant(0, integers ? ConstantTensor.OfIntegers(shape, Array.ConvertAll(result, v => (long)v)) : ConstantTensor.OfFloats(shape, result));
    }
}
