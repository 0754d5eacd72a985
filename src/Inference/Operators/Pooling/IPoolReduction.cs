using System.Runtime.Intrinsics;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// How a pooling window combines its values. Kernels are generic over a struct implementing this, so the JIT
/// compiles one specialised loop per reduction with no call in the inner loop.
/// </summary>
internal interface IPoolReduction
{
    static abstract float Combine(float a, float b);

    static abstract Vector256<float> Combine(Vector256<float> a, Vector256<float> b);

    static abstract Vector512<float> Combine(Vector512<float> a, Vector512<float> b);

    /// <summary>Turns a window's combined value into its output (the average divides, the maximum does nothing).</summary>
    static abstract Vector256<float> Finish(Vector256<float> combined, Vector256<float> divisor);

    static abstract Vector512<float> Finish(Vector512<float> combined, Vector512<float> divisor);
}
