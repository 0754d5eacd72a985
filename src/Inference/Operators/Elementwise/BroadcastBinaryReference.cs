namespace ConvService.Inference.Operators.Elementwise;

/// <summary>Broadcasting by the book: every output index mapped back to each input. The oracle for <see cref="BroadcastBinary"/>.</summary>
public static class BroadcastBinaryReference
{
    public static float[] Run(BinaryKind kind, int[] aShape, ReadOnlySpan<float> a, int[] bShape, ReadOnlySpan<float> b)
    {
        var output = BroadcastBinary.BroadcastShape(aShape, bShape) ?? throw new ArgumentException("Shapes do not broadcast.");
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

            result[flat] = BinaryRowKernel.Apply(kind, a[Offset(aShape, index)], b[Offset(bShape, index)]);
        }

        return result;
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
