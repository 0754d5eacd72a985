using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Elementwise;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Add, Sub, Mul, Div and Sum with numpy broadcasting; all-constant operands are folded at load.</summary>
internal static class ElementwisePlanner
{
    public static void Binary(NodeContext context)
    {
        var kind = Enum.Parse<BinaryKind>(context.Node.OpType);
        var a = context.Shape(0);
        var b = context.Shape(1);
        var broadcast = BroadcastBinary.Create(a, b) ?? throw context.Fail($"shapes {TensorShape.Format(a)} and {TensorShape.Format(b)} do not broadcast");
        if (context.Constant(0) is { } ca && context.Constant(1) is { } cb)
        {
            Fold(context, kind, broadcast, ca, cb);
            return;
        }

        var left = context.Operand(0);
        var right = context.Operand(1);
        var output = context.Output(0, broadcast.OutputShape);
        context.AddStep(new BinaryStep(kind, broadcast, left, right, output));
    }

    public static void Sum(NodeContext context)
    {
        var shape = context.Shape(0);
        for (var i = 1; i < context.InputCount; i++)
        {
            shape = BroadcastBinary.BroadcastShape(shape, context.Shape(i)) ?? throw context.Fail("the inputs do not broadcast to one shape");
        }

        var operands = Enumerable.Range(0, context.InputCount).Select(context.Operand).ToArray();
        var output = context.Output(0, shape);
        var accumulator = Operand.OfSlot(output);

        if (!context.Shape(0).SequenceEqual(shape))
        {
            throw context.Fail("Sum is supported when the first input already has the full output shape");
        }

        // First a copy of input 0 (adding a single zero), then accumulate every other input in place.
        context.AddStep(new BinaryStep(BinaryKind.Add, BroadcastBinary.Create(shape, [1])!, operands[0], Operand.OfConstant([0f]), output));
        for (var i = 1; i < operands.Length; i++)
        {
            context.AddStep(new BinaryStep(BinaryKind.Add, BroadcastBinary.Create(shape, context.Shape(i))!, accumulator, operands[i], output));
        }
    }

    private static void Fold(NodeContext context, BinaryKind kind, BroadcastBinary broadcast, ConstantTensor a, ConstantTensor b)
    {
        if (a.Integers is not null && b.Integers is not null)
        {
            var result = BroadcastBinaryReference.Run(kind, a.Dims, a.AsFloats(), b.Dims, b.AsFloats());
            context.OutputConstant(0, ConstantTensor.OfIntegers(broadcast.OutputShape, Array.ConvertAll(result, v => (long)v)));
            return;
        }

        context.OutputConstant(0, ConstantTensor.OfFloats(broadcast.OutputShape, BroadcastBinaryReference.Run(kind, a.Dims, a.AsFloats(), b.Dims, b.AsFloats())));
    }
}
