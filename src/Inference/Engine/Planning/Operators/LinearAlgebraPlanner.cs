using ConvService.Inference.Engine.Steps;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Det (opsets 11, 22): the determinant of every square matrix in the last two axes.</summary>
internal static class LinearAlgebraPlanner
{
    public static void Det(NodeContext context)
    {
        var (shape, n) = DetLayout(context);
        context.AddStep(new DeterminantStep(context.Operand(0), context.Output(0, shape), n));
    }

    public static (int[] Shape, int N) DetLayout(NodeContext context)
    {
        var x = context.Shape(0);
        if (x.Length < 2 || x[^1] != x[^2])
        {
            throw context.Fail($"Det needs square matrices in the last two axes, not {TensorShape.Format(x)}");
        }

        return (x[..^2], x[^1]);
    }
}
