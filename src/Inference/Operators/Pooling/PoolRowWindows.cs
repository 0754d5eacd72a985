using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// The horizontal half of a pooling window, vectorised for strides 1 and 2 over the interior columns (windows
/// entirely inside the row). Stride 2 combines two vectors of neighbouring windows at every input position and
/// keeps the even lanes with one permute, so each input is loaded once per kernel tap. Border columns and other
/// strides are left to the caller's scalar path.
/// </summary>
internal static class PoolRowWindows
{
    /// <summary>
    /// Output columns [first, end) whose windows start inside the row and whose vector loads stay inside it
    /// (stride 2 loads one element past its last window).
    /// </summary>
    public static (int First, int End) Interior(in PoolGeometry g, int dilation)
    {
        var first = Math.Min(g.OutWidth, (g.PadLeft + g.StrideW - 1) / g.StrideW);
        var room = g.InWidth - 1 - (g.KernelWidth - 1) * dilation - (g.StrideW - 1) + g.PadLeft;
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
                    var low = Vector512.LoadUnsafe(ref r, (nuint)start);
                    var high = Vector512.LoadUnsafe(ref r, (nuint)(start + Vector512<float>.Count));
                    for (var k = 1; k < kernel; k++)
                    {
                        var at = (nuint)(start + k * dilation);
                        low = T.Combine(low, Vector512.LoadUnsafe(ref r, at));
                        high = T.Combine(high, Vector512.LoadUnsafe(ref r, at + (nuint)Vector512<float>.Count));
                    }

                    var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                    result = Avx512F.PermuteVar16x32x2(low, evens, high);
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
                    var low = Vector256.LoadUnsafe(ref r, (nuint)start);
                    var high = Vector256.LoadUnsafe(ref r, (nuint)(start + Vector256<float>.Count));
                    for (var k = 1; k < kernel; k++)
                    {
                        var at = (nuint)(start + k * dilation);
                        low = T.Combine(low, Vector256.LoadUnsafe(ref r, at));
                        high = T.Combine(high, Vector256.LoadUnsafe(ref r, at + (nuint)Vector256<float>.Count));
                    }

                    // Per 128-bit lane [l0 l2 h0 h2 | l4 l6 h4 h6], then the 64-bit pairs reordered to l0..l6 h0..h6.
                    var paired = Avx.Shuffle(low, high, 0b10_00_10_00);
                    result = Avx2.Permute4x64(paired.AsDouble(), 0b11_01_10_00).AsSingle();
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
}
