using System.Runtime.CompilerServices;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Reduction;

/// <summary>The element maps the Reduce operators, Softmax and row statistics are built from.</summary>
internal static class ElementMaps
{
    /// <summary>The element itself (Sum, Max, Min, Prod).</summary>
    public readonly struct Unchanged : IElementMap
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => x;
    }

    /// <summary>|x| (L1).</summary>
    public readonly struct Magnitude : IElementMap
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => MathF.Abs(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Abs(x);
    }

    /// <summary>x^2 (SumSquare, and L2 before its root).</summary>
    public readonly struct Square : IElementMap
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => x * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Multiply(x, x);
    }

    /// <summary>exp(x - shift): shifted by the maximum so nothing overflows.</summary>
    public readonly struct ShiftedExp : IElementMap
    {
        public static bool ReadsShift => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Map(float x, float shift) => MathF.Exp(x - shift);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Map<TVector, TWidth>(TVector x, TVector shift)
            where TVector : struct
            where TWidth : IWidth<TVector> => TWidth.Exp(TWidth.Subtract(x, shift));
    }

    /// <summary>(x - shift)^2: a variance's second pass, shifted by the mean.</summary>
    public readonly struct ShiftedSquare : IElementMap
    {
        public static bool ReadsShift => true;

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
    }
}
