using System.Runtime.CompilerServices;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>AveragePool's reduction: sums, divided by the window's cell count at the end.</summary>
internal readonly struct SumReduction : IPoolReduction
{
    public static float Combine(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Combine<TVector, TWidth>(TVector a, TVector b)
        where TVector : struct
        where TWidth : IWidth<TVector> => TWidth.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Finish<TVector, TWidth>(TVector combined, TVector divisor)
        where TVector : struct
        where TWidth : IWidth<TVector> => TWidth.Divide(combined, divisor);
}
