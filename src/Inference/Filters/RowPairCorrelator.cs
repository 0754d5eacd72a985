using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
            Vector512Path(src, rowOffsets, cols, weights, upper, lower);
        }
        else if (simd >= SimdLevel.Vector256 && upper.Length >= Vector256<float>.Count)
        {
            Check(src, rowOffsets, cols, weights, upper, lower);
            Vector256Path(src, rowOffsets, cols, weights, upper, lower);
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

    private static void Vector512Path(ReadOnlySpan<float> src, ReadOnlySpan<int> rowOffsets, int cols, ReadOnlySpan<float> weights, Span<float> upper, Span<float> lower)
    {
        var rows = rowOffsets.Length - 1;
        var width = Vector512<float>.Count;
        var n = upper.Length;
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var o = ref MemoryMarshal.GetReference(rowOffsets);
        ref var w = ref MemoryMarshal.GetReference(weights);
        ref var du = ref MemoryMarshal.GetReference(upper);
        ref var dl = ref MemoryMarshal.GetReference(lower);
        var x = 0;
        for (; x <= n - 4 * width; x += 4 * width)
        {
            Vector512<float> u0 = default, u1 = default, u2 = default, u3 = default;
            Vector512<float> l0 = default, l1 = default, l2 = default, l3 = default;
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
                    var v0 = Vector512.LoadUnsafe(ref p);
                    var v1 = Vector512.LoadUnsafe(ref p, (nuint)width);
                    var v2 = Vector512.LoadUnsafe(ref p, (nuint)(2 * width));
                    var v3 = Vector512.LoadUnsafe(ref p, (nuint)(3 * width));
                    if (k < rows)
                    {
                        var ku = Vector512.Create(Unsafe.Add(ref wu, j));
                        u0 = Vector512.FusedMultiplyAdd(v0, ku, u0);
                        u1 = Vector512.FusedMultiplyAdd(v1, ku, u1);
                        u2 = Vector512.FusedMultiplyAdd(v2, ku, u2);
                        u3 = Vector512.FusedMultiplyAdd(v3, ku, u3);
                    }

                    if (k > 0)
                    {
                        var kl = Vector512.Create(Unsafe.Add(ref wl, j));
                        l0 = Vector512.FusedMultiplyAdd(v0, kl, l0);
                        l1 = Vector512.FusedMultiplyAdd(v1, kl, l1);
                        l2 = Vector512.FusedMultiplyAdd(v2, kl, l2);
                        l3 = Vector512.FusedMultiplyAdd(v3, kl, l3);
                    }
                }
            }

            u0.StoreUnsafe(ref du, (nuint)x);
            u1.StoreUnsafe(ref du, (nuint)(x + width));
            u2.StoreUnsafe(ref du, (nuint)(x + 2 * width));
            u3.StoreUnsafe(ref du, (nuint)(x + 3 * width));
            l0.StoreUnsafe(ref dl, (nuint)x);
            l1.StoreUnsafe(ref dl, (nuint)(x + width));
            l2.StoreUnsafe(ref dl, (nuint)(x + 2 * width));
            l3.StoreUnsafe(ref dl, (nuint)(x + 3 * width));
        }

        while (x < n)
        {
            // The last block overlaps the previous one instead of running a scalar tail; rewriting is harmless.
            x = Math.Min(x, n - width);
            Vector512<float> u = default, l = default;
            for (var k = 0; k <= rows; k++)
            {
                ref var row = ref Unsafe.Add(ref s, Unsafe.Add(ref o, k) + x);
                ref var wu = ref Unsafe.Add(ref w, Math.Min(k, rows - 1) * cols);
                ref var wl = ref Unsafe.Add(ref w, Math.Max(k - 1, 0) * cols);
                for (var j = 0; j < cols; j++)
                {
                    var v = Vector512.LoadUnsafe(ref row, (nuint)j);
                    if (k < rows)
                    {
                        u = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref wu, j)), u);
                    }

                    if (k > 0)
                    {
                        l = Vector512.FusedMultiplyAdd(v, Vector512.Create(Unsafe.Add(ref wl, j)), l);
                    }
                }
            }

            u.StoreUnsafe(ref du, (nuint)x);
            l.StoreUnsafe(ref dl, (nuint)x);
            x += width;
        }
    }

    private static void Vector256Path(ReadOnlySpan<float> src, ReadOnlySpan<int> rowOffsets, int cols, ReadOnlySpan<float> weights, Span<float> upper, Span<float> lower)
    {
        var rows = rowOffsets.Length - 1;
        var width = Vector256<float>.Count;
        var n = upper.Length;
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var o = ref MemoryMarshal.GetReference(rowOffsets);
        ref var w = ref MemoryMarshal.GetReference(weights);
        ref var du = ref MemoryMarshal.GetReference(upper);
        ref var dl = ref MemoryMarshal.GetReference(lower);
        var x = 0;
        for (; x <= n - 4 * width; x += 4 * width)
        {
            Vector256<float> u0 = default, u1 = default, u2 = default, u3 = default;
            Vector256<float> l0 = default, l1 = default, l2 = default, l3 = default;
            for (var k = 0; k <= rows; k++)
            {
                ref var row = ref Unsafe.Add(ref s, Unsafe.Add(ref o, k) + x);
                ref var wu = ref Unsafe.Add(ref w, Math.Min(k, rows - 1) * cols);
                ref var wl = ref Unsafe.Add(ref w, Math.Max(k - 1, 0) * cols);
                for (var j = 0; j < cols; j++)
                {
                    // Each loaded input vector feeds both output rows.
                    ref var p = ref Unsafe.Add(ref row, j);
                    var v0 = Vector256.LoadUnsafe(ref p);
                    var v1 = Vector256.LoadUnsafe(ref p, (nuint)width);
                    var v2 = Vector256.LoadUnsafe(ref p, (nuint)(2 * width));
                    var v3 = Vector256.LoadUnsafe(ref p, (nuint)(3 * width));
                    if (k < rows)
                    {
                        var ku = Vector256.Create(Unsafe.Add(ref wu, j));
                        u0 = Vector256.FusedMultiplyAdd(v0, ku, u0);
                        u1 = Vector256.FusedMultiplyAdd(v1, ku, u1);
                        u2 = Vector256.FusedMultiplyAdd(v2, ku, u2);
                        u3 = Vector256.FusedMultiplyAdd(v3, ku, u3);
                    }

                    if (k > 0)
                    {
                        var kl = Vector256.Create(Unsafe.Add(ref wl, j));
                        l0 = Vector256.FusedMultiplyAdd(v0, kl, l0);
                        l1 = Vector256.FusedMultiplyAdd(v1, kl, l1);
                        l2 = Vector256.FusedMultiplyAdd(v2, kl, l2);
                        l3 = Vector256.FusedMultiplyAdd(v3, kl, l3);
                    }
                }
            }

            u0.StoreUnsafe(ref du, (nuint)x);
            u1.StoreUnsafe(ref du, (nuint)(x + width));
            u2.StoreUnsafe(ref du, (nuint)(x + 2 * width));
            u3.StoreUnsafe(ref du, (nuint)(x + 3 * width));
            l0.StoreUnsafe(ref dl, (nuint)x);
            l1.StoreUnsafe(ref dl, (nuint)(x + width));
            l2.StoreUnsafe(ref dl, (nuint)(x + 2 * width));
            l3.StoreUnsafe(ref dl, (nuint)(x + 3 * width));
        }

        while (x < n)
        {
            // The last block overlaps the previous one instead of running a scalar tail; rewriting is harmless.
            x = Math.Min(x, n - width);
            Vector256<float> u = default, l = default;
            for (var k = 0; k <= rows; k++)
            {
                ref var row = ref Unsafe.Add(ref s, Unsafe.Add(ref o, k) + x);
                ref var wu = ref Unsafe.Add(ref w, Math.Min(k, rows - 1) * cols);
                ref var wl = ref Unsafe.Add(ref w, Math.Max(k - 1, 0) * cols);
                for (var j = 0; j < cols; j++)
                {
                    var v = Vector256.LoadUnsafe(ref row, (nuint)j);
                    if (k < rows)
                    {
                        u = Vector256.FusedMultiplyAdd(v, Vector256.Create(Unsafe.Add(ref wu, j)), u);
                    }

                    if (k > 0)
                    {
                        l = Vector256.FusedMultiplyAdd(v, Vector256.Create(Unsafe.Add(ref wl, j)), l);
                    }
                }
            }

            u.StoreUnsafe(ref du, (nuint)x);
            l.StoreUnsafe(ref dl, (nuint)x);
            x += width;
        }
    }
}
