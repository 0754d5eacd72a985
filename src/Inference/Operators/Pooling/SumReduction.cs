using System.Runtime.Intrinsics;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>AveragePool's reduction: sums, divided by the window's cell count at the end.</summary>
internal readonly struct SumReduction : IPoolReduction
{
    public static float Combine(float a, float b) => a + b;

    public static Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => a + b;

    public static Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => a + b;

    public static Vector256<float> Finish(Vector256<float> combined, Vector256<float> divisor) => combined / divisor;

    public static Vector512<float> Finish(Vector512<float> combined, Vector512<float> divisor) => combined / divisor;
}
