using System.Runtime.CompilerServices;
using ConvService.Inference.Operators.Unary;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Activations;

/// <summary>
/// Each activation defined once, in scalar and vector form, for both the standalone operator and the convolution
/// epilogue. The scalar forms match <see cref="Kernels.Conv.FusedActivation.Apply"/>; the piecewise-linear vector
/// forms are exact, Sigmoid and Tanh go through the vector Exp and are within a few units in the last place.
/// </summary>
internal static class ActivationOperators
{
    public readonly struct IdentityOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    public readonly struct ReluOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Max(x, 0f);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Max(x, TWidth.Zero);
    }

    public readonly struct LeakyReluOperator(float alpha) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x >= 0f ? x : alpha * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.ConditionalSelect(TWidth.LessThan(x, TWidth.Zero), TWidth.Multiply(x, TWidth.Create(alpha)), x);
    }

    /// <summary>min(max(x, low), high), NaN kept.</summary>
    public readonly struct ClipOperator(float low, float high) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Min(MathF.Max(x, low), high);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Min(TWidth.Max(x, TWidth.Create(low)), TWidth.Create(high));
    }

    /// <summary>max(0, min(1, alpha x + beta)).</summary>
    public readonly struct HardSigmoidOperator(float alpha, float beta) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Max(0f, MathF.Min(1f, alpha * x + beta));

        // Multiply then add, not a fused multiply-add, so every width rounds as the scalar form does.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Max(TWidth.Zero, TWidth.Min(TWidth.Create(1f), TWidth.Add(TWidth.Multiply(TWidth.Create(alpha), x), TWidth.Create(beta))));
    }

    /// <summary>x max(0, min(1, x / 6 + 1/2)).</summary>
    public readonly struct HardSwishOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x * MathF.Max(0f, MathF.Min(1f, x / 6f + 0.5f));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector>
        {
            var gate = TWidth.Add(TWidth.Divide(x, TWidth.Create(6f)), TWidth.Create(0.5f));
            return TWidth.Multiply(x, TWidth.Max(TWidth.Zero, TWidth.Min(TWidth.Create(1f), gate)));
        }
    }

    /// <summary>1 / (1 + e^-x); the vector Exp overflows to +inf below about -88.7, giving 0 as the scalar form does.</summary>
    public readonly struct SigmoidOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => 1f / (1f + MathF.Exp(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector>
        {
            var one = TWidth.Create(1f);
            return TWidth.Divide(one, TWidth.Add(one, TWidth.Exp(TWidth.Negate(x))));
        }
    }

    /// <summary>
    /// Cephes' single-precision tanh: an odd polynomial below |x| = 0.625, where 1 - 2 / (e^2|x| + 1) would cancel,
    /// and that form above it (e^2|x| overflowing to +inf gives exactly 1). NaN stays NaN.
    /// </summary>
    public readonly struct TanhOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Tanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector>
        {
            var magnitude = TWidth.Abs(x);
            var one = TWidth.Create(1f);
            var two = TWidth.Create(2f);
            var large = TWidth.Subtract(one, TWidth.Divide(two, TWidth.Add(TWidth.Exp(TWidth.Multiply(two, magnitude)), one)));
            large = TWidth.CopySign(large, x);

            var z = TWidth.Multiply(x, x);
            var p = TWidth.FusedMultiplyAdd(TWidth.Create(-5.70498872745e-3f), z, TWidth.Create(2.06390887954e-2f));
            p = TWidth.FusedMultiplyAdd(p, z, TWidth.Create(-5.37397155531e-2f));
            p = TWidth.FusedMultiplyAdd(p, z, TWidth.Create(1.33314422036e-1f));
            p = TWidth.FusedMultiplyAdd(p, z, TWidth.Create(-3.33332819422e-1f));
            var small = TWidth.FusedMultiplyAdd(TWidth.Multiply(p, z), x, x);

            return TWidth.ConditionalSelect(TWidth.GreaterThan(magnitude, TWidth.Create(0.625f)), large, small);
        }
    }
}
