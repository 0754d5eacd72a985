using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Inference.Operators.Resize;

/// <summary>
/// The vertical half of a resize: an output row as the weighted sum of whole source rows (two for linear, four for
/// cubic). Each block is written, never accumulated, so the last vector block may overlap the one before.
/// </summary>
internal static class RowBlend
{
    public static void Run(ReadOnlySpan<float> rows, int rowLength, ReadOnlySpan<int> rowOfTap, ReadOnlySpan<float> weights, Span<float> output, SimdLevel level)
    {
        var width = output.Length;
        var taps = rowOfTap.Length;
        ref var source = ref MemoryMarshal.GetReference(rows);
        ref var destination = ref MemoryMarshal.GetReference(output);
        Span<int> offsets = stackalloc int[taps];
        for (var t = 0; t < taps; t++)
        {
            offsets[t] = rowOfTap[t] * rowLength;
            _ = rows.Slice(offsets[t], width);
        }

        if (level == SimdLevel.Vector512 && width >= Vector512<float>.Count)
        {
            var last = width - Vector512<float>.Count;
            for (var i = 0; ; i += Vector512<float>.Count)
            {
                i = Math.Min(i, last);
                var sum = Vector512.LoadUnsafe(ref source, (nuint)(offsets[0] + i)) * weights[0];
                for (var t = 1; t < taps; t++)
                {
                    sum = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref source, (nuint)(offsets[t] + i)), Vector512.Create(weights[t]), sum);
                }

                sum.StoreUnsafe(ref destination, (nuint)i);
                if (i == last)
                {
                    return;
                }
            }
        }

        if (level != SimdLevel.Scalar && width >= Vector256<float>.Count)
        {
            var last = width - Vector256<float>.Count;
            for (var i = 0; ; i += Vector256<float>.Count)
            {
                i = Math.Min(i, last);
                var sum = Vector256.LoadUnsafe(ref source, (nuint)(offsets[0] + i)) * weights[0];
                for (var t = 1; t < taps; t++)
                {
                    sum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref source, (nuint)(offsets[t] + i)), Vector256.Create(weights[t]), sum);
                }

                sum.StoreUnsafe(ref destination, (nuint)i);
                if (i == last)
                {
                    return;
                }
            }
        }

        for (var i = 0; i < width; i++)
        {
            var sum = 0f;
            for (var t = 0; t < taps; t++)
            {
                sum += weights[t] * Unsafe.Add(ref source, offsets[t] + i);
            }

            output[i] = sum;
        }
    }
}
