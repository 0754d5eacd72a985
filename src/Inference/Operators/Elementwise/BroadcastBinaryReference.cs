namespace ConvService.Inference.Operators.Elementwise;

/// <summary>
/// Broadcasting by the book: every output index mapped back to each input. The oracle for
/// <see cref="BroadcastBinary"/>, so it uses none of that class's code: its own shape rule and its own arithmetic.
/// </summary>
public static class BroadcastBinaryReference
{
    public static float[] Run(BinaryKind kind, int[] aShape, ReadOnlySpan<float> a, int[] bShape, ReadOnlySpan<float> b)
    {
        var output = Broadcast(aShape, bShape);
        var total = output.Aggregate(1, (p, d) => p * d);
        var result = new float[total];
        var index = new int[output.Length];
        for (var flat = 0; flat < total; flat++)
        {
            var rest = flat;
            for (var d = output.Length - 1; d >= 0; d--)
            {
                index[d] = rest % output[d];
                rest /= output[d];
            }

            float x = a[Offset(aShape, index)], y = b[Offset(bShape, index)];
            result[flat] = kind switch
            {
                BinaryKind.Add => x + y,
                BinaryKind.Sub => x - y,
                BinaryKind.Mul => x * y,
                BinaryKind.Div => x / y,
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a binary kind."),
            };
        }

        return result;
    }

    /// <summary>Numpy's rule: shapes aligned on the right, each pair of sizes equal or one of them 1.</summary>
    private static int[] Broadcast(int[] aShape, int[] bShape)
    {
        var rank = Math.Max(aShape.Length, bShape.Length);
        var output = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            var x = d < rank - aShape.Length ? 1 : aShape[d - (rank - aShape.Length)];
            var y = d < rank - bShape.Length ? 1 : bShape[d - (rank - bShape.Length)];
            output[d] = x == y || y == 1 ? x : x == 1 ? y : throw new ArgumentException("Shapes do not broadcast.");
        }

        return output;
    }

    private static int Offset(int[] shape, int[] outputIndex)
    {
        var skip = outputIndex.Length - shape.Length;
        var offset = 0;
        for (var d = 0; d < shape.Length; d++)
        {
            offset = offset * shape[d] + (shape[d] == 1 ? 0 : outputIndex[d + skip]);
        }

        return offset;
    }
}
