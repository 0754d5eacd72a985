using System.Runtime.CompilerServices;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>MaxPool's reduction; vector Max follows MathF.Max (NaN wins, +0 beats -0), so every path agrees exactly.</summary>
internal readonly struct MaxReduction : IPoolReduction
{
    public static float Combine(float a, float b) => MathF.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
        where TVector : struct
        where TWidth : IWidth<TVector> => TWidth.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Finish<TVector, TWidth>(TVector combined, TVector divisor)
        where TVector : struct
        where TWidth : IWidth<TVector> => combined;
}
