using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Inference.Filters;

/// <summary>gx = sqrt(gx^2 + gy^2) in place. A scalar tail, because an overlapping block would square twice.</summary>
internal static class GradientCombiner
{
    public static void Run(Span<float> gx, ReadOnlySpan<float> gy, SimdLevel simd)
    {
        if (gy.Length < gx.Length)
        {
            throw new ArgumentException("The y gradient is shorter than the x gradient.", nameof(gy));
        }

        ref var a = ref MemoryMarshal.GetReference(gx);
        ref var b = ref MemoryMarshal.GetReference(gy);
        var n = gx.Length;
        var x = 0;
        if (simd == SimdLevel.Vector512)
        {
            for (; x <= n - Vector512<float>.Count; x += Vector512<float>.Count)
            {
                var u = Vector512.LoadUnsafe(ref a, (nuint)x);
                var v = Vector512.LoadUnsafe(ref b, (nuint)x);
                Vector512.Sqrt(Vector512.FusedMultiplyAdd(u, u, v * v)).StoreUnsafe(ref a, (nuint)x);
            }
        }

        if (simd >= SimdLevel.Vector256)
        {
            for (; x <= n - Vector256<float>.Count; x += Vector256<float>.Count)
            {
                var u = Vector256.LoadUnsafe(ref a, (nuint)x);
                var v = Vector256.LoadUnsafe(ref b, (nuint)x);
                Vector256.Sqrt(Vector256.FusedMultiplyAdd(u, u, v * v)).StoreUnsafe(ref a, (nuint)x);
            }
        }

        for (; x < n; x++)
        {
            gx[x] = MathF.Sqrt(MathF.FusedMultiplyAdd(gx[x], gx[x], gy[x] * gy[x]));
        }
    }
}
