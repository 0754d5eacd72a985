using System.Runtime.CompilerServices;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Reduction;

/// <summary>The maps and combines the Reduce operators are built from.</summary>
internal static class ReductionOperators
{
    /// <summary>Plain sum.</summary>
    public readonly struct SumOperator : IReductionOperator
    {
        public static float Identity => 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Combine(float a, float b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Add(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Sum(value);
    }

    /// <summary>Sum of magnitudes (L1).</summary>
    public readonly struct AbsSumOperator : IReductionOperator
    {
        public static float Identity => 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => MathF.Abs(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Abs(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Combine(float a, float b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Add(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Sum(value);
    }

    /// <summary>Sum of squares (SumSquare, and L2 before its root).</summary>
    public readonly struct SquareSumOperator : IReductionOperator
    {
        public static float Identity => 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => x * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Multiply(x, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Combine(float a, float b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Add(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Sum(value);
    }

    /// <summary>Largest element; NaN propagates.</summary>
    public readonly struct MaxOperator : IReductionOperator
    {
        public static float Identity => float.NegativeInfinity;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Combine(float a, float b) => MathF.Max(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Max(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.MaxAcross(value);
    }

    /// <summary>Smallest element; NaN propagates.</summary>
    public readonly struct MinOperator : IReductionOperator
    {
        public static float Identity => float.PositiveInfinity;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Combine(float a, float b) => MathF.Min(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Min(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.MinAcross(value);
    }

    /// <summary>Product.</summary>
    public readonly struct ProductOperator : IReductionOperator
    {
        public static float Identity => 1f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Combine(float a, float b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Multiply(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.ProductAcross(value);
    }

    /// <summary>Sum of exp(x - shift): LogSumExp's second pass, shifted by the maximum so nothing overflows.</summary>
    public readonly struct ShiftedExpSumOperator : IReductionOperator
    {
        public static float Identity => 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => MathF.Exp(x - shift);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Exp(TWidth.Subtract(x, shift));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Combine(float a, float b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Add(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Sum(value);
    }

    /// <summary>Sum of (x - shift)^2: a variance's second pass, shifted by the mean.</summary>
    public readonly struct ShiftedSquareSumOperator : IReductionOperator
    {
        public static float Identity => 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => (x - shift) * (x - shift);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector>
        {
            var d = TWidth.Subtract(x, shift);
            return TWidth.Multiply(d, d);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Combine(float a, float b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Add(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Sum(value);
    }
}
