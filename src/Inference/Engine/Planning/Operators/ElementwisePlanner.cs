using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Elementwise;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Add, Sub, Mul and Div with numpy broadcasting; all-constant operands are folded at load.</summary>
internal static class ElementwisePlanner
{
    public static void Binary(NodeContext context)
    {
        var kind = Enum.Parse<BinaryKind>(context.Node.OpType);
        var a = context.Shape(0);
        var b = context.Shape(1);
        var broadcast = BroadcastBinary.Create(a, b) ?? throw context.Fail($"shapes {TensorShape.Format(a)} and {TensorShape.Format(b)} do not broadcast");
        if (context.Constant(0) is { } ca && context.Constant(1) is { } cb && context.Node.Activation.Kind == ActivationKind.None)
        {
            Fold(context, kind, broadcast, ca, cb);
            return;
        }

        var left = context.Operand(0);
        var right = context.Operand(1);
        var output = context.Output(0, broadcast.OutputShape);
        context.AddStep(new BinaryStep(kind, broadcast, left, right, output, context.Node.Activation, context.Options.Simd));
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
