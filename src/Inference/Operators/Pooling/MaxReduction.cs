using System.Runtime.Intrinsics;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>MaxPool's reduction; vector Max follows MathF.Max (NaN wins, +0 beats -0), so every path agrees exactly.</summary>
internal readonly struct MaxReduction : IPoolReduction
{
    public static float Combine(float a, float b) => MathF.Max(a, b);

    public static Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    public static Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    public static Vector256<float> Finish(Vector256<float> combined, Vector256<float> divisor) => combined;

    public static Vector512<float> Finish(Vector512<float> combined, Vector512<float> divisor) => combined;
}
