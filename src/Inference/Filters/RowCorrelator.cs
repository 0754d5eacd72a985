using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Filters;

/// <summary>
/// The one inner loop every filter pass uses: one output row from a set of already padded source rows,
/// dst[x] = sum over i, j of w[i * cols + j] * src[rowOffsets[i] + x * step + j].
/// A horizontal 1-D pass has one row, a vertical one cols = 1, a direct 2-D kernel both. Row offsets rather
/// than a row stride, so a vertical pass can read mirrored border rows straight from the source plane. The vector paths keep
/// several output blocks in registers and broadcast each weight once per block (FMA across output columns).
/// </summary>
internal static class RowCorrelator
{
    public static void Run(ReadOnlySpan<float> src, ReadOnlySpan<int> rowOffsets, int cols, ReadOnlySpan<float> weights, Span<float> dst, int step, SimdLevel simd)
    {
        // One check per row so the unchecked vector loads below can never leave the spans.
        var rows = rowOffsets.Length;
        var reach = (long)(dst.Length - 1) * step + cols;
        foreach (var offset in rowOffsets)
        {
            if (offset < 0 || src.Length < offset + reach)
            {
                throw new ArgumentException($"A row at offset {offset} reading {reach} floats leaves the {src.Length}-float window.");
            }
        }

        if (dst.Length == 0 || rows == 0 || weights.Length < rows * cols)
        {
            throw new ArgumentException("A row needs at least one output, one source row and a weight per tap.");
        }

        if (step != 1)
        {
            Scalar(src, rowOffsets, cols, weights, dst, step);
        }
        else if (simd == SimdLevel.Vector512 && dst.Length >= Vector512<float>.Count)
        {
            Path<Vector512<float>, Width512>(src, rowOffsets, cols, weights, dst);
        }
        else if (simd >= SimdLevel.Vector256 && dst.Length >= Vector256<float>.Count)
        {
            Path<Vector256<float>, Width256>(src, rowOffsets, cols, weights, dst);
        }
        else if (simd >= SimdLevel.Vector128 && dst.Length >= Vector128<float>.Count)
        {
            Path<Vector128<float>, Width128>(src, rowOffsets, cols, weights, dst);
        }
        else
        {
            Scalar(src, rowOffsets, cols, weights, dst, step);
        }
    }

    /// <summary>The plain reference: the same sum, element by element.</summary>
    public static void Scalar(ReadOnlySpan<float> src, ReadOnlySpan<int> rowOffsets, int cols, ReadOnlySpan<float> weights, Span<float> dst, int step)
    {
        for (var x = 0; x < dst.Length; x++)
        {
            var sum = 0f;
            var start = x * step;
            for (var i = 0; i < rowOffsets.Length; i++)
            {
                var row = src.Slice(rowOffsets[i] + start, cols);
                var w = weights.Slice(i * cols, cols);
                for (var j = 0; j < cols; j++)
                {
                    sum = MathF.FusedMultiplyAdd(row[j], w[j], sum);
                }
            }

            dst[x] = sum;
        }
    }

    private static void Path<TVector, TWidth>(ReadOnlySpan<float> src, ReadOnlySpan<int> rowOffsets, int cols, ReadOnlySpan<float> weights, Span<float> dst)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var rows = rowOffsets.Length;
        ref var o = ref MemoryMarshal.GetReference(rowOffsets);
        var width = TWidth.Count;
        var n = dst.Length;
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var d = ref MemoryMarshal.GetReference(dst);
        ref var w = ref MemoryMarshal.GetReference(weights);
        var x = 0;
        for (; x <= n - 4 * width; x += 4 * width)
        {
            TVector a0 = TWidth.Zero, a1 = TWidth.Zero, a2 = TWidth.Zero, a3 = TWidth.Zero;
            for (var i = 0; i < rows; i++)
            {
                ref var row = ref Unsafe.Add(ref s, Unsafe.Add(ref o, i) + x);
                ref var wr = ref Unsafe.Add(ref w, i * cols);
                for (var j = 0; j < cols; j++)
                {
                    var k = TWidth.Create(Unsafe.Add(ref wr, j));
                    ref var p = ref Unsafe.Add(ref row, j);
                    a0 = TWidth.FusedMultiplyAdd(TWidth.Load(ref p, 0), k, a0);
                    a1 = TWidth.FusedMultiplyAdd(TWidth.Load(ref p, (nuint)width), k, a1);
                    a2 = TWidth.FusedMultiplyAdd(TWidth.Load(ref p, (nuint)(2 * width)), k, a2);
                    a3 = TWidth.FusedMultiplyAdd(TWidth.Load(ref p, (nuint)(3 * width)), k, a3);
                }
            }

            TWidth.Store(a0, ref d, (nuint)x);
            TWidth.Store(a1, ref d, (nuint)(x + width));
            TWidth.Store(a2, ref d, (nuint)(x + 2 * width));
            TWidth.Store(a3, ref d, (nuint)(x + 3 * width));
        }

        while (x < n)
        {
            // The last block overlaps the previous one instead of running a scalar tail; rewriting is harmless.
            x = Math.Min(x, n - width);
            var a = TWidth.Zero;
            for (var i = 0; i < rows; i++)
            {
                ref var row = ref Unsafe.Add(ref s, Unsafe.Add(ref o, i) + x);
                ref var wr = ref Unsafe.Add(ref w, i * cols);
                for (var j = 0; j < cols; j++)
                {
                    a = TWidth.FusedMultiplyAdd(TWidth.Load(ref row, (nuint)j), TWidth.Create(Unsafe.Add(ref wr, j)), a);
                }
            }

            TWidth.Store(a, ref d, (nuint)x);
            x += width;
        }
    }
}
