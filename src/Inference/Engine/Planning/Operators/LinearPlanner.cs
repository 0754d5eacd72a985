using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Elementwise;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Gemm (alpha, beta, transA, transB, broadcast C) and MatMul (2-D, or batched with a shared or matching right side).</summary>
internal static class LinearPlanner
{
    public static void Gemm(NodeContext context)
    {
        var a = context.Shape(0);
        var b = context.Shape(1);
        if (a.Length != 2 || b.Length != 2)
        {
            throw context.Fail("Gemm needs 2-D A and B (insert a Flatten before it)");
        }

        var attributes = context.Attributes;
        var transA = attributes.Int("transA", 0) != 0;
        var transB = attributes.Int("transB", 0) != 0;
        int m = transA ? a[1] : a[0], k = transA ? a[0] : a[1];
        int kb = transB ? b[1] : b[0], n = transB ? b[0] : b[1];
        if (k != kb)
        {
            throw context.Fail($"inner dimensions differ: op(A) is {m}x{k}, op(B) is {kb}x{n}");
        }

        Operand? c = null;
        BroadcastBinary? cBroadcast = null;
        var parameters = context.Constant(1)?.Length ?? 0;
        if (context.Has(2))
        {
            cBroadcast = BroadcastBinary.Create([m, n], context.Shape(2));
            if (cBroadcast is null || !cBroadcast.OutputShape.SequenceEqual([m, n]))
            {
                throw context.Fail($"C {TensorShape.Format(context.Shape(2))} does not broadcast to [{m}, {n}]");
            }

            c = context.Operand(2);
            parameters += context.Constant(2)?.Length ?? 0;
        }

        var left = context.Operand(0);
        var right = context.Operand(1);
        var output = context.Output(0, [m, n]);
        context.AddStep(
            new GemmStep(left, right, c, cBroadcast, output, transA, transB, m, n, k, attributes.Float("alpha", 1f), attributes.Float("beta", 1f)),
            parameters);
    }

    public static void MatMul(NodeContext context)
    {
        var a = context.Shape(0);
        var b = context.Shape(1);
        if (a.Length < 2 || b.Length < 2)
        {
            throw context.Fail("MatMul with 1-D operands is not supported; reshape them to 2-D");
        }

        int m = a[^2], k = a[^1], n = b[^1];
        if (b[^2] != k)
        {
            throw context.Fail($"inner dimensions differ: {TensorShape.Format(a)} x {TensorShape.Format(b)}");
        }

        var batchA = a[..^2];
        var batchB = b[..^2];
        int[] outShape;
        int batches, strideB;
        if (batchB.All(d => d == 1))
        {
            // A shared right matrix: every row of A's batch dimensions folds into M.
            outShape = [.. batchA, m, n];
            batches = 1;
            m *= TensorShape.Product(batchA, 0, batchA.Length);
            strideB = 0;
        }
        else if (batchA.SequenceEqual(batchB))
        {
            outShape = [.. batchA, m, n];
            batches = TensorShape.Product(batchA, 0, batchA.Length);
            strideB = k * n;
        }
        else
        {
            throw context.Fail("MatMul broadcasting is supported only for a 2-D right side or equal batch dimensions");
        }

        var left = context.Operand(0);
        var right = context.Operand(1);
        var output = context.Output(0, outShape);
        context.AddStep(new MatMulStep(left, right, output, batches, m, n, k, m * k, strideB), context.Constant(1)?.Length ?? 0);
    }
}
