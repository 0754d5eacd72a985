using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Filters;

/// <summary>
/// Two consecutive output rows of a direct 2-D kernel at stride 1 in one sweep: rows + 1 source rows, each
/// loaded vector used by both outputs (weight row k for the upper, k - 1 for the lower). Direct kernels are
/// bound by loads, so this nearly halves them. upper[x] = sum w[i, j] * src[rowOffsets[i] + x + j] and
/// lower[x] = the same from rowOffsets[i + 1].
/// </summary>
internal static class RowPairCorrelator
{
    public static void Run(ReadOnlySpan<float> src, ReadOnlySpan<int> rowOffsets, int cols, ReadOnlySpan<float> weights, Span<float> upper, Span<float> lower, SimdLevel simd)
    {
        var rows = rowOffsets.Length - 1;
        if (simd == SimdLevel.Vector512 && upper.Length >= Vector512<float>.Count)
        {
            Check(src, rowOffsets, cols, weights, upper, lower);
            Path<Vector512<float>, Width512>(src, rowOffsets, cols, weights, upper, lower);
        }
        else if (simd >= SimdLevel.Vector256 && upper.Length >= Vector256<float>.Count)
        {
            Check(src, rowOffsets, cols, weights, upper, lower);
            Path<Vector256<float>, Width256>(src, rowOffsets, cols, weights, upper, lower);
        }
        else if (simd >= SimdLevel.Vector128 && upper.Length >= Vector128<float>.Count)
        {
            Check(src, rowOffsets, cols, weights, upper, lower);
            Path<Vector128<float>, Width128>(src, rowOffsets, cols, weights, upper, lower);
        }
        else
        {
            RowCorrelator.Run(src, rowOffsets[..rows], cols, weights, upper, 1, simd);
            RowCorrelator.Run(src, rowOffsets[1..], cols, weights, lower, 1, simd);
        }
    }

    private static void Check(ReadOnlySpan<float> src, ReadOnlySpan<int> rowOffsets, int cols, ReadOnlySpan<float> weights, Span<float> upper, Span<float> lower)
    {
        // The vector loops below read unchecked; make sure they cannot leave the spans.
        var reach = (long)upper.Length - 1 + cols;
        foreach (var offset in rowOffsets)
        {
            if (offset < 0 || src.Length < offset + reach)
            {
                throw new ArgumentException($"A row at offset {offset} reading {reach} floats leaves the {src.Length}-float window.");
            }
        }

        if (rowOffsets.Length < 2 || lower.Length != upper.Length || weights.Length < (rowOffsets.Length - 1) * cols)
        {
            throw new ArgumentException("A row pair needs rows + 1 source rows, equal outputs and a weight per tap.");
        }
    }

    private static void Path<TVector, TWidth>(ReadOnlySpan<float> src, ReadOnlySpan<int> rowOffsets, int cols, ReadOnlySpan<float> weights, Span<float> upper, Span<float> lower)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var rows = rowOffsets.Length - 1;
        var width = TWidth.Count;
        var n = upper.Length;
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var o = ref MemoryMarshal.GetReference(rowOffsets);
        ref var w = ref MemoryMarshal.GetReference(weights);
        ref var du = ref MemoryMarshal.GetReference(upper);
        ref var dl = ref MemoryMarshal.GetReference(lower);
        var x = 0;
        for (; x <= n - 4 * width; x += 4 * width)
        {
            TVector u0 = TWidth.Zero, u1 = TWidth.Zero, u2 = TWidth.Zero, u3 = TWidth.Zero;
            TVector l0 = TWidth.Zero, l1 = TWidth.Zero, l2 = TWidth.Zero, l3 = TWidth.Zero;
            for (var k = 0; k <= rows; k++)
            {
                // Weight rows are clamped so no reference points outside the array; the k tests below skip them.
                ref var row = ref Unsafe.Add(ref s, Unsafe.Add(ref o, k) + x);
                ref var wu = ref Unsafe.Add(ref w, Math.Min(k, rows - 1) * cols);
                ref var wl = ref Unsafe.Add(ref w, Math.Max(k - 1, 0) * cols);
                for (var j = 0; j < cols; j++)
                {
                    // Each loaded input vector feeds both output rows.
                    ref var p = ref Unsafe.Add(ref row, j);
                    var v0 = TWidth.Load(ref p, 0);
                    var v1 = TWidth.Load(ref p, (nuint)width);
                    var v2 = TWidth.Load(ref p, (nuint)(2 * width));
                    var v3 = TWidth.Load(ref p, (nuint)(3 * width));
                    if (k < rows)
                    {
                        var ku = TWidth.Create(Unsafe.Add(ref wu, j));
                        u0 = TWidth.FusedMultiplyAdd(v0, ku, u0);
                        u1 = TWidth.FusedMultiplyAdd(v1, ku, u1);
                        u2 = TWidth.FusedMultiplyAdd(v2, ku, u2);
                        u3 = TWidth.FusedMultiplyAdd(v3, ku, u3);
                    }

                    if (k > 0)
                    {
                        var kl = TWidth.Create(Unsafe.Add(ref wl, j));
                        l0 = TWidth.FusedMultiplyAdd(v0, kl, l0);
                        l1 = TWidth.FusedMultiplyAdd(v1, kl, l1);
                        l2 = TWidth.FusedMultiplyAdd(v2, kl, l2);
                        l3 = TWidth.FusedMultiplyAdd(v3, kl, l3);
                    }
                }
            }

            TWidth.Store(u0, ref du, (nuint)x);
            TWidth.Store(u1, ref du, (nuint)(x + width));
            TWidth.Store(u2, ref du, (nuint)(x + 2 * width));
            TWidth.Store(u3, ref du, (nuint)(x + 3 * width));
            TWidth.Store(l0, ref dl, (nuint)x);
            TWidth.Store(l1, ref dl, (nuint)(x + width));
            TWidth.Store(l2, ref dl, (nuint)(x + 2 * width));
            TWidth.Store(l3, ref dl, (nuint)(x + 3 * width));
        }

        while (x < n)
        {
            // The last block overlaps the previous one instead of running a scalar tail; rewriting is harmless.
            x = Math.Min(x, n - width);
            TVector u = TWidth.Zero, l = TWidth.Zero;
            for (var k = 0; k <= rows; k++)
            {
                ref var row = ref Unsafe.Add(ref s, Unsafe.Add(ref o, k) + x);
                ref var wu = ref Unsafe.Add(ref w, Math.Min(k, rows - 1) * cols);
                ref var wl = ref Unsafe.Add(ref w, Math.Max(k - 1, 0) * cols);
                for (var j = 0; j < cols; j++)
                {
                    var v = TWidth.Load(ref row, (nuint)j);
                    if (k < rows)
                    {
                        u = TWidth.FusedMultiplyAdd(v, TWidth.Create(Unsafe.Add(ref wu, j)), u);
                    }

                    if (k > 0)
                    {
                        l = TWidth.FusedMultiplyAdd(v, TWidth.Create(Unsafe.Add(ref wl, j)), l);
                    }
                }
            }

            TWidth.Store(u, ref du, (nuint)x);
            TWidth.Store(l, ref dl, (nuint)x);
            x += width;
        }
    }
}
