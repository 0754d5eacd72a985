using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Reduction;

/// <summary>
/// A reduction as a map applied to each element and an associative combine. The shift is LogSumExp's per-output
/// maximum (the others ignore it).
/// </summary>
internal interface IReductionOperator
{
    static abstract float Identity { get; }

    static abstract float Map(float x, float shift);

    static abstract TVector Map<TVector, TWidth>(TVector x, TVector shift)
        where TVector : struct
        where TWidth : IWidth<TVector>;

    static abstract float Combine(float a, float b);

    static abstract TVector Combine<TVector, TWidth>(TVector a, TVector b)
        where TVector : struct
        where TWidth : IWidth<TVector>;

    /// <summary>Combines the lanes of one vector.</summary>
    static abstract float Across<TVector, TWidth>(TVector value)
        where TVector : struct
        where TWidth : IWidth<TVector>;
}
