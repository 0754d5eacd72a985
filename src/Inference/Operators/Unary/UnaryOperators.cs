using System.Runtime.CompilerServices;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Unary;

/// <summary>
/// The element-wise functions as operator structs. Each scalar form is the definition the tests hold the vector
/// form to; where the vector form is an approximation its accuracy is stated beside it.
/// </summary>
internal static class UnaryOperators
{
    public readonly struct ExpOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Exp(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Exp(x);
    }

    public readonly struct LogOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Log(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Log(x);
    }

    public readonly struct SqrtOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Sqrt(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Sqrt(x);
    }

    public readonly struct ReciprocalOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => 1f / x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Divide(TWidth.Create(1f), x);
    }

    public readonly struct AbsOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Abs(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Abs(x);
    }

    public readonly struct NegOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => -x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Negate(x);
    }

    public readonly struct SignOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x > 0f ? 1f : x < 0f ? -1f : x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.ConditionalSelect(TWidth.GreaterThan(x, TWidth.Zero), TWidth.Create(1f), TWidth.ConditionalSelect(TWidth.LessThan(x, TWidth.Zero), TWidth.Create(-1f), x));
    }

    public readonly struct FloorOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Floor(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Floor(x);
    }

    public readonly struct CeilOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Ceiling(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Ceiling(x);
    }

    public readonly struct RoundOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Round(x, MidpointRounding.ToEven);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Round(x);
    }

    public readonly struct SinOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Sin(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Sin(x);
    }

    public readonly struct CosOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Cos(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Cos(x);
    }

    public readonly struct SquareOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Multiply(x, x);
    }

    public readonly struct CubeOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x * x * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Multiply(TWidth.Multiply(x, x), x);
    }

    public readonly struct SoftsignOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x / (1f + MathF.Abs(x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Divide(x, TWidth.Add(TWidth.Create(1f), TWidth.Abs(x)));
    }

    /// <summary>No vector form: rare in exported networks, so the scalar MathF definition runs at every width.</summary>
    public readonly struct TanOperator : IUnaryOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Tan(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    /// <summary>No vector form: rare in exported networks, so the scalar MathF definition runs at every width.</summary>
    public readonly struct AsinOperator : IUnaryOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Asin(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    /// <summary>No vector form: rare in exported networks, so the scalar MathF definition runs at every width.</summary>
    public readonly struct AcosOperator : IUnaryOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Acos(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    /// <summary>No vector form: rare in exported networks, so the scalar MathF definition runs at every width.</summary>
    public readonly struct AtanOperator : IUnaryOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Atan(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    /// <summary>No vector form: rare in exported networks, so the scalar MathF definition runs at every width.</summary>
    public readonly struct SinhOperator : IUnaryOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Sinh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    /// <summary>No vector form: rare in exported networks, so the scalar MathF definition runs at every width.</summary>
    public readonly struct CoshOperator : IUnaryOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Cosh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    /// <summary>No vector form: rare in exported networks, so the scalar MathF definition runs at every width.</summary>
    public readonly struct AsinhOperator : IUnaryOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Asinh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    /// <summary>No vector form: rare in exported networks, so the scalar MathF definition runs at every width.</summary>
    public readonly struct AcoshOperator : IUnaryOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Acosh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    /// <summary>No vector form: rare in exported networks, so the scalar MathF definition runs at every width.</summary>
    public readonly struct AtanhOperator : IUnaryOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Atanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            x;
    }

    public readonly struct ErfOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x)
        {
            // The reference: the Maclaurin series in double below 4 (where erf reaches 1 in float), exact to float.
            if (float.IsNaN(x))
            {
                return x;
            }

            double ax = Math.Abs(x);
            if (ax >= 4)
            {
                return MathF.CopySign(1f, x);
            }

            double term = ax, sum = ax, square = ax * ax;
            for (var n = 1; n < 200 && Math.Abs(term) > 1e-17 * sum; n++)
            {
                term *= -square / n;
                sum += term / (2 * n + 1);
            }

            return MathF.CopySign((float)(sum * 1.1283791670955126), x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector>
        {
            // Below 0.875, x P(x^2); above, 1 - exp(Q(|x|)) with Q fitted to log(erfc) on [0.875, 4] (erfc is
            // under 2e-8 past 4, so |x| is clamped there). Both are Chebyshev fits (errors 9e-9 and 2e-8 before float
            // rounding; under 1.1e-7 absolute overall); no division, one exp.
            var ax = TWidth.Abs(x);
            var s = TWidth.Multiply(x, x);
            var p = TWidth.FusedMultiplyAdd(s, TWidth.Create(-6.214585155e-4f), TWidth.Create(5.034370814e-3f));
            p = TWidth.FusedMultiplyAdd(p, s, TWidth.Create(-2.679294720e-2f));
            p = TWidth.FusedMultiplyAdd(p, s, TWidth.Create(1.128249690e-1f));
            p = TWidth.FusedMultiplyAdd(p, s, TWidth.Create(-3.761255443e-1f));
            p = TWidth.FusedMultiplyAdd(p, s, TWidth.Create(1.128379107f));
            var near = TWidth.Multiply(p, x);

            var a = TWidth.ClampNative(ax, TWidth.Create(0.875f), TWidth.Create(4f));
            var q = TWidth.FusedMultiplyAdd(a, TWidth.Create(1.641114409e-6f), TWidth.Create(-4.611922850e-5f));
            q = TWidth.FusedMultiplyAdd(q, a, TWidth.Create(5.971515202e-4f));
            q = TWidth.FusedMultiplyAdd(q, a, TWidth.Create(-4.760285839e-3f));
            q = TWidth.FusedMultiplyAdd(q, a, TWidth.Create(2.642001584e-2f));
            q = TWidth.FusedMultiplyAdd(q, a, TWidth.Create(-1.100718454e-1f));
            q = TWidth.FusedMultiplyAdd(q, a, TWidth.Create(-6.318424344e-1f));
            q = TWidth.FusedMultiplyAdd(q, a, TWidth.Create(-1.130218863f));
            q = TWidth.FusedMultiplyAdd(q, a, TWidth.Create(3.151541459e-4f));
            var far = TWidth.CopySign(TWidth.Subtract(TWidth.Create(1f), TWidth.Exp(q)), x);

            // NaN fails the comparison and takes the polynomial, which keeps it NaN.
            return TWidth.ConditionalSelect(TWidth.GreaterThan(ax, TWidth.Create(0.875f)), far, near);
        }
    }

    public readonly struct EluOperator(float alpha) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x < 0f ? (float)(alpha * (Math.Exp(x) - 1.0)) : x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.ConditionalSelect(TWidth.LessThan(x, TWidth.Zero), TWidth.Multiply(TWidth.Create(alpha), ExpMinusOne<TVector, TWidth>(x)), x);
    }

    public readonly struct SeluOperator(float alpha, float gamma) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x > 0f ? gamma * x : (float)(gamma * alpha * (Math.Exp(x) - 1.0));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.ConditionalSelect(TWidth.GreaterThan(x, TWidth.Zero), TWidth.Multiply(TWidth.Create(gamma), x), TWidth.Multiply(TWidth.Create(gamma * alpha), ExpMinusOne<TVector, TWidth>(x)));
    }

    public readonly struct CeluOperator(float alpha) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Max(0f, x) + MathF.Min(0f, (float)(alpha * (Math.Exp(x / (double)alpha) - 1.0)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Add(TWidth.Max(TWidth.Zero, x), TWidth.Min(TWidth.Zero, TWidth.Multiply(TWidth.Create(alpha), ExpMinusOne<TVector, TWidth>(TWidth.Divide(x, TWidth.Create(alpha))))));
    }

    public readonly struct ThresholdedReluOperator(float alpha) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x > alpha ? x : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.ConditionalSelect(TWidth.GreaterThan(x, TWidth.Create(alpha)), x, TWidth.Zero);
    }

    public readonly struct ShrinkOperator(float lambd, float bias) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x < -lambd ? x + bias : x > lambd ? x - bias : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.ConditionalSelect(TWidth.LessThan(x, TWidth.Create(-lambd)), TWidth.Add(x, TWidth.Create(bias)), TWidth.ConditionalSelect(TWidth.GreaterThan(x, TWidth.Create(lambd)), TWidth.Subtract(x, TWidth.Create(bias)), TWidth.Zero));
    }

    /// <summary>x * scale + shift, rounded twice at every width so all agree.</summary>
    public readonly struct AffineOperator(float scale, float shift) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => (x * scale) + shift;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Add(TWidth.Multiply(x, TWidth.Create(scale)), TWidth.Create(shift));
    }

    /// <summary>log(1 + exp(x)); the reference is computed in double.</summary>
    public readonly struct SoftplusOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => (float)(Math.Max(x, 0.0) + LogOnePlus(Math.Exp(-Math.Abs((double)x))));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector>
        {
            // max(x, 0) + log(1 + exp(-|x|)) never overflows; log(w) * u / (w - 1) keeps log1p's accuracy for small u.
            var u = TWidth.Exp(TWidth.Negate(TWidth.Abs(x)));
            var w = TWidth.Add(TWidth.Create(1f), u);
            var log1p = TWidth.ConditionalSelect(TWidth.Equal(w, TWidth.Create(1f)), u, TWidth.Divide(TWidth.Multiply(TWidth.Log(w), u), TWidth.Subtract(w, TWidth.Create(1f))));
            return TWidth.Add(TWidth.Max(x, TWidth.Zero), log1p);
        }
    }

    /// <summary>0.5 x (1 + erf(x / sqrt 2)), Gelu's default (approximate = "none").</summary>
    public readonly struct GeluOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => (float)(0.5 * x * (1.0 + default(ErfOperator).Invoke((float)(x * 0.70710678118654752))));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector>
        {
            var e = default(ErfOperator).Invoke<TVector, TWidth>(TWidth.Multiply(x, TWidth.Create(0.707106781f)));
            return TWidth.Multiply(TWidth.Multiply(TWidth.Create(0.5f), x), TWidth.Add(TWidth.Create(1f), e));
        }
    }

    /// <summary>Gelu with approximate = "tanh": 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).</summary>
    public readonly struct GeluTanhOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => (float)(0.5 * x * (1.0 + Math.Tanh(0.79788456080286536 * (x + (0.044715 * x * x * x)))));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector>
        {
            // 0.5 (1 + tanh u) is the logistic function of 2u, which needs one exp and no cancellation.
            var x3 = TWidth.Multiply(TWidth.Multiply(x, x), x);
            var u = TWidth.Multiply(TWidth.Create(0.797884561f), TWidth.FusedMultiplyAdd(x3, TWidth.Create(0.044715f), x));
            var e = TWidth.Exp(TWidth.Multiply(u, TWidth.Create(-2f)));
            return TWidth.Divide(x, TWidth.Add(TWidth.Create(1f), e));
        }
    }

    /// <summary>x tanh(softplus(x)); the reference is computed in double.</summary>
    public readonly struct MishOperator : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => (float)(x * Math.Tanh(Math.Max(x, 0.0) + LogOnePlus(Math.Exp(-Math.Abs((double)x)))));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector>
        {
            // tanh(log(1 + n)) = n (n + 2) / (n (n + 2) + 2) with n = exp(x); past 20 the result is x in float.
            var n = TWidth.Exp(x);
            var numerator = TWidth.Multiply(n, TWidth.Add(n, TWidth.Create(2f)));
            var mish = TWidth.Divide(TWidth.Multiply(x, numerator), TWidth.Add(numerator, TWidth.Create(2f)));
            return TWidth.ConditionalSelect(TWidth.GreaterThan(x, TWidth.Create(20f)), x, mish);
        }
    }

    /// <summary>scale * exp(x + shift).</summary>
    public readonly struct ScaledExpOperator(float scale, float shift) : IUnaryOperator
    {
        public static bool Vectorised => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => scale * MathF.Exp(x + shift);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : IWidth<TVector> =>
            TWidth.Multiply(TWidth.Create(scale), TWidth.Exp(TWidth.Add(x, TWidth.Create(shift))));
    }

    /// <summary>
    /// exp(x) - 1 without the cancellation near 0 (where the vector exp is also a unit in the last place off 1):
    /// the series to x^7 below 0.3 in magnitude (truncation under 5e-9 relative), exp(x) - 1 elsewhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector ExpMinusOne<TVector, TWidth>(TVector x)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var series = TWidth.FusedMultiplyAdd(x, TWidth.Create(1f / 5040f), TWidth.Create(1f / 720f));
        series = TWidth.FusedMultiplyAdd(x, series, TWidth.Create(1f / 120f));
        series = TWidth.FusedMultiplyAdd(x, series, TWidth.Create(1f / 24f));
        series = TWidth.FusedMultiplyAdd(x, series, TWidth.Create(1f / 6f));
        series = TWidth.FusedMultiplyAdd(x, series, TWidth.Create(0.5f));
        series = TWidth.FusedMultiplyAdd(x, series, TWidth.Create(1f));
        series = TWidth.Multiply(x, series);
        return TWidth.ConditionalSelect(TWidth.LessThan(TWidth.Abs(x), TWidth.Create(0.3f)), series, TWidth.Subtract(TWidth.Exp(x), TWidth.Create(1f)));
    }

    /// <summary>log(1 + u) without losing small u (Goldberg's correction).</summary>
    private static double LogOnePlus(double u)
    {
        var w = 1.0 + u;
        return w == 1.0 ? u : Math.Log(w) * u / (w - 1.0);
    }
}
