using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// How a pooling window combines its values. Kernels are generic over a struct implementing this and over the
/// width, so the JIT compiles one specialised loop per reduction and width with no call in the inner loop.
/// </summary>
internal interface IPoolReduction
{
    static abstract float Combine(float a, float b);

    static abstract TVector Combine<TVector, TWidth>(TVector a, TVector b)
        where TVector : struct
        where TWidth : IWidth<TVector>;

    /// <summary>Turns a window's combined value into its output (the average divides, the maximum does nothing).</summary>
    static abstract TVector Finish<TVector, TWidth>(TVector combined, TVector divisor)
        where TVector : struct
        where TWidth : IWidth<TVector>;
}
