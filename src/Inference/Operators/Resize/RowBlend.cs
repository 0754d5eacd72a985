using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

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
            Path<Vector512<float>, Width512>(ref source, offsets, weights, ref destination, width);
            return;
        }

        if (level >= SimdLevel.Vector256 && width >= Vector256<float>.Count)
        {
            Path<Vector256<float>, Width256>(ref source, offsets, weights, ref destination, width);
            return;
        }

        if (level >= SimdLevel.Vector128 && width >= Vector128<float>.Count)
        {
            Path<Vector128<float>, Width128>(ref source, offsets, weights, ref destination, width);
            return;
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

    /// <summary>At least one vector of the row; the last block overlaps the one before.</summary>
    private static void Path<TVector, TWidth>(ref float source, ReadOnlySpan<int> offsets, ReadOnlySpan<float> weights, ref float destination, int width)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var taps = offsets.Length;
        var last = width - TWidth.Count;
        for (var i = 0; ; i += TWidth.Count)
        {
            i = Math.Min(i, last);
            var sum = TWidth.Multiply(TWidth.Load(ref source, (nuint)(offsets[0] + i)), TWidth.Create(weights[0]));
            for (var t = 1; t < taps; t++)
            {
                sum = TWidth.FusedMultiplyAdd(TWidth.Load(ref source, (nuint)(offsets[t] + i)), TWidth.Create(weights[t]), sum);
            }

            TWidth.Store(sum, ref destination, (nuint)i);
            if (i == last)
            {
                return;
            }
        }
    }
}
