using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

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

        // The widest vectors first, then the narrower one over what is left, then scalars.
        var x = 0;
        if (simd == SimdLevel.Vector512)
        {
            x = Path<Vector512<float>, Width512>(gx, gy, x);
        }

        if (simd >= SimdLevel.Vector256)
        {
            x = Path<Vector256<float>, Width256>(gx, gy, x);
        }

        if (simd >= SimdLevel.Vector128)
        {
            x = Path<Vector128<float>, Width128>(gx, gy, x);
        }

        for (; x < gx.Length; x++)
        {
            gx[x] = MathF.Sqrt(MathF.FusedMultiplyAdd(gx[x], gx[x], gy[x] * gy[x]));
        }
    }

    /// <summary>Whole vectors from <paramref name="start"/>; returns where they stopped.</summary>
    private static int Path<TVector, TWidth>(Span<float> gx, ReadOnlySpan<float> gy, int start)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        ref var a = ref MemoryMarshal.GetReference(gx);
        ref var b = ref MemoryMarshal.GetReference(gy);
        var n = gx.Length;
        var x = start;
        for (; x <= n - TWidth.Count; x += TWidth.Count)
        {
            var u = TWidth.Load(ref a, (nuint)x);
            var v = TWidth.Load(ref b, (nuint)x);
            TWidth.Store(TWidth.Sqrt(TWidth.FusedMultiplyAdd(u, u, TWidth.Multiply(v, v))), ref a, (nuint)x);
        }

        return x;
    }
}
