using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// The horizontal half of a pooling window, vectorised for strides 1 and 2 over the interior columns (windows
/// entirely inside the row). Stride 2 gathers each kernel tap's every other element with one two-source permute
/// and combines the gathered vectors, so each output lane costs one combine per tap. Border columns and other
/// strides are left to the caller's scalar path.
/// </summary>
internal static class PoolRowWindows
{
    /// <summary>
    /// Output columns [first, end) whose windows lie entirely inside the row.
    /// </summary>
    public static (int First, int End) Interior(in PoolGeometry g, int dilation)
    {
        var first = Math.Min(g.OutWidth, (g.PadLeft + g.StrideW - 1) / g.StrideW);
        var room = g.InWidth - 1 - (g.KernelWidth - 1) * dilation + g.PadLeft;
        var end = room < 0 ? 0 : Math.Min(g.OutWidth, room / g.StrideW + 1);
        return (first, end);
    }

    /// <summary>
    /// Writes the interior columns [first, end) of <paramref name="output"/> when a vector path applies and
    /// returns end; returns first when nothing was written.
    /// </summary>
    public static int Reduce<T>(ReadOnlySpan<float> row, Span<float> output, in PoolGeometry g, int dilation, int first, int end, float divisor, SimdLevel level)
        where T : struct, IPoolReduction
    {
        int stride = g.StrideW, kernel = g.KernelWidth, padLeft = g.PadLeft;
        var count = end - first;
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var d = ref MemoryMarshal.GetReference(output);
        if (level == SimdLevel.Vector512 && count >= Vector512<float>.Count && (stride == 1 || (stride == 2 && Avx512F.IsSupported)))
        {
            var scale = Vector512.Create(divisor);
            var last = end - Vector512<float>.Count;
            for (var x = first; ; x += Vector512<float>.Count)
            {
                x = Math.Min(x, last);
                var start = x * stride - padLeft;
                Vector512<float> result;
                if (stride == 1)
                {
                    result = Vector512.LoadUnsafe(ref r, (nuint)start);
                    for (var k = 1; k < kernel; k++)
                    {
                        result = T.Combine(result, Vector512.LoadUnsafe(ref r, (nuint)(start + k * dilation)));
                    }
                }
                else
                {
                    result = Evens512(ref r, start);
                    for (var k = 1; k < kernel; k++)
                    {
                        result = T.Combine(result, Evens512(ref r, start + k * dilation));
                    }
                }

                T.Finish(result, scale).StoreUnsafe(ref d, (nuint)x);
                if (x == last)
                {
                    return end;
                }
            }
        }

        if (level != SimdLevel.Scalar && count >= Vector256<float>.Count && (stride == 1 || (stride == 2 && Avx2.IsSupported)))
        {
            var scale = Vector256.Create(divisor);
            var last = end - Vector256<float>.Count;
            for (var x = first; ; x += Vector256<float>.Count)
            {
                x = Math.Min(x, last);
                var start = x * stride - padLeft;
                Vector256<float> result;
                if (stride == 1)
                {
                    result = Vector256.LoadUnsafe(ref r, (nuint)start);
                    for (var k = 1; k < kernel; k++)
                    {
                        result = T.Combine(result, Vector256.LoadUnsafe(ref r, (nuint)(start + k * dilation)));
                    }
                }
                else
                {
                    result = Evens256(ref r, start);
                    for (var k = 1; k < kernel; k++)
                    {
                        result = T.Combine(result, Evens256(ref r, start + k * dilation));
                    }
                }

                T.Finish(result, scale).StoreUnsafe(ref d, (nuint)x);
                if (x == last)
                {
                    return end;
                }
            }
        }

        return first;
    }

    /// <summary>
    /// Elements start, start+2, ..., start+30. The upper half is loaded from start+15 and its odd lanes kept, so
    /// nothing past start+30 is read and the last window of a row needs no scalar fallback.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Evens512(ref float r, int start)
    {
        var picks = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 17, 19, 21, 23, 25, 27, 29, 31);
        return Avx512F.PermuteVar16x32x2(Vector512.LoadUnsafe(ref r, (nuint)start), picks, Vector512.LoadUnsafe(ref r, (nuint)(start + 15)));
    }

    /// <summary>Elements start, start+2, ..., start+14, reading nothing past start+14 (see <see cref="Evens512"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Evens256(ref float r, int start)
    {
        // Per 128-bit lane [l0 l2 h1 h3 | l4 l6 h5 h7], then the 64-bit pairs reordered to l0..l6 h1..h7.
        var paired = Avx.Shuffle(Vector256.LoadUnsafe(ref r, (nuint)start), Vector256.LoadUnsafe(ref r, (nuint)(start + 7)), 0b11_01_10_00);
        return Avx2.Permute4x64(paired.AsDouble(), 0b11_01_10_00).AsSingle();
    }
}
