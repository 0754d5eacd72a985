using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Simd;

/// <summary>
/// Transcendental functions written once against <see cref="IWidth{TVector}"/> where the runtime's own are slow.
/// .NET 10's Vector512/256.Exp for float widens to double and runs several times slower than the memory bandwidth
/// an element-wise pass needs, so Exp is the Cephes single-precision method here.
/// </summary>
internal static class VectorMath
{
    /// <summary>
    /// e^x: x = n ln 2 + r with |r| &lt;= ln 2 / 2 (ln 2 split in two so the reduction is exact), a degree-6
    /// polynomial for e^r, and 2^n applied so results into the subnormal range and up to overflow stay right.
    /// Within 2 units in the last place of MathF.Exp; NaN gives NaN, +inf gives +inf, -inf gives 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Exp<TVector, TWidth>(TVector x)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var clamped = TWidth.ClampNative(x, TWidth.Create(-104f), TWidth.Create(89f));
        var n = TWidth.Round(TWidth.Multiply(clamped, TWidth.Create(1.44269504088896341f)));
        var r = TWidth.FusedMultiplyAdd(n, TWidth.Create(-0.693359375f), clamped);
        r = TWidth.FusedMultiplyAdd(n, TWidth.Create(2.12194440e-4f), r);
        var p = TWidth.FusedMultiplyAdd(TWidth.Create(1.9875691500e-4f), r, TWidth.Create(1.3981999507e-3f));
        p = TWidth.FusedMultiplyAdd(p, r, TWidth.Create(8.3334519073e-3f));
        p = TWidth.FusedMultiplyAdd(p, r, TWidth.Create(4.1665795894e-2f));
        p = TWidth.FusedMultiplyAdd(p, r, TWidth.Create(1.6666665459e-1f));
        p = TWidth.FusedMultiplyAdd(p, r, TWidth.Create(5.0000001201e-1f));
        p = TWidth.FusedMultiplyAdd(p, TWidth.Multiply(r, r), TWidth.Add(r, TWidth.Create(1f)));
        var result = ScaleByPowerOfTwoAnyRange<TVector, TWidth>(p, n);

        // The native clamp may turn NaN into a bound; put it back.
        return TWidth.ConditionalSelect(TWidth.IsNaN(x), x, result);
    }

    /// <summary>
    /// value * 2^n for integral n in [-151, 128]. AVX-512's scalef does it in one instruction, subnormal and
    /// overflowing results included; without it, 2^n is applied as two halves that each fit the exponent field.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector ScaleByPowerOfTwoAnyRange<TVector, TWidth>(TVector value, TVector n)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        if (typeof(TVector) == typeof(Vector512<float>) && Avx512F.IsSupported)
        {
            var scaled = Avx512F.Scale(Unsafe.As<TVector, Vector512<float>>(ref value), Unsafe.As<TVector, Vector512<float>>(ref n));
            return Unsafe.As<Vector512<float>, TVector>(ref scaled);
        }

        if (typeof(TVector) == typeof(Vector256<float>) && Avx512F.VL.IsSupported)
        {
            var scaled = Avx512F.VL.Scale(Unsafe.As<TVector, Vector256<float>>(ref value), Unsafe.As<TVector, Vector256<float>>(ref n));
            return Unsafe.As<Vector256<float>, TVector>(ref scaled);
        }

        if (typeof(TVector) == typeof(Vector128<float>) && Avx512F.VL.IsSupported)
        {
            var scaled = Avx512F.VL.Scale(Unsafe.As<TVector, Vector128<float>>(ref value), Unsafe.As<TVector, Vector128<float>>(ref n));
            return Unsafe.As<Vector128<float>, TVector>(ref scaled);
        }

        var half = TWidth.Floor(TWidth.Multiply(n, TWidth.Create(0.5f)));
        return TWidth.ScaleByPowerOfTwo(TWidth.ScaleByPowerOfTwo(value, half), TWidth.Subtract(n, half));
    }
}
