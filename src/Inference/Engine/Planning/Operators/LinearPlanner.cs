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
            new GemmStep(left, right, c, cBroadcast, output, transA, transB, m, n, k, attributes.Float("alpha", 1f), attributes.Float("beta", 1f), context.Options.Simd),
            parameters,
            (long)m * n * k);
    }

    public static void MatMul(NodeContext context)
    {
        var a = context.Shape(0);
        var b = context.Shape(1);
        if (a.Length == 0 || b.Length == 0)
        {
            throw context.Fail("MatMul operands must have rank 1 or more");
        }

        // numpy semantics: a 1-D left side is a row vector and a 1-D right side a column vector, each dimension
        // dropped from the result again.
        int[] matrixA = a.Length == 1 ? [1, a[0]] : a;
        int[] matrixB = b.Length == 1 ? [b[0], 1] : b;
        int m = matrixA[^2], k = matrixA[^1], n = matrixB[^1];
        if (matrixB[^2] != k)
        {
            throw context.Fail($"inner dimensions differ: {TensorShape.Format(a)} x {TensorShape.Format(b)}");
        }

        var batchA = matrixA[..^2];
        var batchB = matrixB[..^2];
        var batch = BroadcastBinary.BroadcastShape(batchA, batchB) ?? throw context.Fail($"batch dimensions of {TensorShape.Format(a)} and {TensorShape.Format(b)} do not broadcast");
        int[] outShape = [.. batch, .. a.Length == 1 ? Array.Empty<int>() : [m], .. b.Length == 1 ? Array.Empty<int>() : [n]];
        int[] offsetsA, offsetsB;
        var rows = m;
        if (batchB.All(d => d == 1) && TensorShape.Product(batch, 0, batch.Length) == TensorShape.Product(batchA, 0, batchA.Length))
        {
            // A shared right matrix: every row of A's batch dimensions folds into M.
            rows = m * TensorShape.Product(batchA, 0, batchA.Length);
            (offsetsA, offsetsB) = ([0], [0]);
        }
        else
        {
            var odometer = new ConvService.Inference.Operators.Logic.BroadcastOdometer(batch, [batchA, batchB]);
            var count = TensorShape.Product(batch, 0, batch.Length);
            offsetsA = new int[count];
            offsetsB = new int[count];
            for (var i = 0; i < count; i++)
            {
                var remainder = i;
                for (var d = batch.Length - 1; d >= 0; d--)
                {
                    var index = remainder % batch[d];
                    remainder /= batch[d];
                    offsetsA[i] += index * odometer.Strides[0][d] * m * k;
                    offsetsB[i] += index * odometer.Strides[1][d] * k * n;
                }
            }
        }

        var left = context.Operand(0);
        var right = context.Operand(1);
        var output = context.Output(0, outShape);
        context.AddStep(new MatMulStep(left, right, output, rows, n, k, offsetsA, offsetsB, context.Options.Simd), context.Constant(1)?.Length ?? 0, (long)offsetsA.Length * rows * n * k);
    }
}
