using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Operators.Pairwise;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// The vertical half of a pooling window: combines the window's input rows (<c>rowStride</c> apart in
/// <c>source</c>) element by element into one row. The result is written, never accumulated, so the last vector
/// block may overlap the one before it instead of leaving a scalar tail.
/// </summary>
internal static class PoolColumns
{
    public static void Reduce<TCombine>(ReadOnlySpan<float> source, int rowStride, int rows, Span<float> row, SimdLevel level)
        where TCombine : IAssociativeOperator
    {
        var width = row.Length;
        ref var s = ref MemoryMarshal.GetReference(source[..((rows - 1) * rowStride + width)]);
        ref var d = ref MemoryMarshal.GetReference(row);
        if (level == SimdLevel.Vector512 && width >= Vector512<float>.Count)
        {
            Path<Vector512<float>, Width512, TCombine>(ref s, rowStride, rows, ref d, width);
            return;
        }

        if (level >= SimdLevel.Vector256 && width >= Vector256<float>.Count)
        {
            Path<Vector256<float>, Width256, TCombine>(ref s, rowStride, rows, ref d, width);
            return;
        }

        if (level >= SimdLevel.Vector128 && width >= Vector128<float>.Count)
        {
            Path<Vector128<float>, Width128, TCombine>(ref s, rowStride, rows, ref d, width);
            return;
        }

        for (var i = 0; i < width; i++)
        {
            var acc = Unsafe.Add(ref s, i);
            for (var r = 1; r < rows; r++)
            {
                acc = TCombine.Invoke(acc, Unsafe.Add(ref s, r * rowStride + i));
            }

            Unsafe.Add(ref d, i) = acc;
        }
    }

    /// <summary>At least one vector of columns; the last block overlaps the one before it.</summary>
    private static void Path<TVector, TWidth, TCombine>(ref float s, int rowStride, int rows, ref float d, int width)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TCombine : IAssociativeOperator
    {
        var last = width - TWidth.Count;
        for (var i = 0; ; i += TWidth.Count)
        {
            i = Math.Min(i, last);
            var acc = TWidth.Load(ref s, (nuint)i);
            for (var r = 1; r < rows; r++)
            {
                acc = TCombine.Invoke<TVector, TWidth>(acc, TWidth.Load(ref s, (nuint)(r * rowStride + i)));
            }

            TWidth.Store(acc, ref d, (nuint)i);
            if (i == last)
            {
                return;
            }
        }
    }
}
