using System.Runtime.CompilerServices;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pairwise;

/// <summary>
/// The two-operand functions as operator structs; Max and Min propagate NaN as MathF does. Add, Multiply, Max and Min
/// are also what reductions and pooling windows combine with, so each carries its identity and its across-lanes fold.
/// </summary>
internal static class PairwiseOperators
{
    public readonly struct AddOperator : IAssociativeOperator
    {
        public static float Identity => 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Add(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Sum(value);
    }

    public readonly struct SubtractOperator : IPairwiseOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float b) => a - b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Subtract(a, b);
    }

    public readonly struct MultiplyOperator : IAssociativeOperator
    {
        public static float Identity => 1f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Multiply(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.ProductAcross(value);
    }

    public readonly struct DivideOperator : IPairwiseOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Divide(a, b);
    }

    public readonly struct MaxOperator : IAssociativeOperator
    {
        public static float Identity => float.NegativeInfinity;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float b) => MathF.Max(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Max(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.MaxAcross(value);
    }

    public readonly struct MinOperator : IAssociativeOperator
    {
        public static float Identity => float.PositiveInfinity;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float b) => MathF.Min(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Min(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Across<TVector, TWidth>(TVector value)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.MinAcross(value);
    }

    /// <summary>x where x is not negative, slope * x where it is (a NaN stays NaN).</summary>
    public readonly struct PReluOperator : IPairwiseOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float b) => a < 0f ? a * b : a;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.ConditionalSelect(TWidth.LessThan(a, TWidth.Zero), TWidth.Multiply(a, b), a);
    }

    /// <summary>
    /// No vector form: exp(b log a) is wrong for negative bases with integer exponents and loses accuracy, so MathF.Pow
    /// runs at every width. Constant exponents 2 and 3, the common ones, are planned as Square and Cube instead.
    /// </summary>
    public readonly struct PowOperator : IPairwiseOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float b) => MathF.Pow(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => a;
    }

    /// <summary>
    /// The remainder with the dividend's sign (x - trunc(x / y) y, exactly), C#'s float %. No vector form: a vector
    /// x - trunc(x / y) y rounds the quotient and is wrong for large quotients.
    /// </summary>
    public readonly struct ModOperator : IPairwiseOperator
    {
        public static bool Vectorised => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float b) => a % b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TWidth>(TVector a, TVector b)
            where TVector : struct
            where TWidth : IWidth<TVector> => a;
    }
}
