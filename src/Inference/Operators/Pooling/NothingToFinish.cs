using System.Runtime.CompilerServices;
using ConvService.Inference.Operators.Pairwise;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// MaxPool's finish: a window's maximum is already its output. (AveragePool finishes with
/// <see cref="PairwiseOperators.DivideOperator"/> by the window's cell count.)
/// </summary>
internal readonly struct NothingToFinish : IPairwiseOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float combined, float divisor) => combined;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Invoke<TVector, TWidth>(TVector combined, TVector divisor)
        where TVector : struct
        where TWidth : IWidth<TVector> => combined;
}
