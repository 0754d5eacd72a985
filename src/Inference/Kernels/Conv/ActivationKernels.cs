using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Kernels.Gemm;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Applies a fused activation in place over a run of outputs still in cache. Piecewise-linear kinds are vectorised;
/// Sigmoid and Tanh use the scalar definition (rare in the supported networks, and exact).
/// </summary>
internal static class ActivationKernels
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(Span<float> values, in FusedActivation activation, SimdLevel level)
    {
        var kind = activation.Kind;
        if (kind == ActivationKind.None)
        {
            return;
        }

        var done = 0;
        if (kind is not (ActivationKind.Sigmoid or ActivationKind.Tanh))
        {
            done = level switch
            {
                SimdLevel.Vector512 => Apply512(values, activation),
                SimdLevel.Vector256 => Apply256(values, activation),
                _ => 0,
            };
        }

        for (var i = done; i < values.Length; i++)
        {
            values[i] = activation.Apply(values[i]);
        }
    }

    /// <summary>Returns how many leading values it handled (whole vectors only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Apply512(Span<float> values, in FusedActivation activation)
    {
        var alpha = Vector512.Create(activation.Alpha);
        var beta = Vector512.Create(activation.Beta);
        var zero = Vector512<float>.Zero;
        var one = Vector512<float>.One;
        var six = Vector512.Create(6f);
        var half = Vector512.Create(0.5f);
        var kind = activation.Kind;
        var i = 0;
        for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var x = Vector512.Create((ReadOnlySpan<float>)values.Slice(i, Vector512<float>.Count));
            x = kind switch
            {
                ActivationKind.Relu => Vector512.Max(x, zero),
                ActivationKind.LeakyRelu => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, zero), x, x * alpha),
                ActivationKind.Clip => Vector512.Min(Vector512.Max(x, alpha), beta),
                ActivationKind.HardSigmoid => Vector512.Max(zero, Vector512.Min(one, alpha * x + beta)),
                ActivationKind.HardSwish => x * Vector512.Max(zero, Vector512.Min(one, x / six + half)),
                _ => x,
            };
            x.CopyTo(values.Slice(i, Vector512<float>.Count));
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Apply256(Span<float> values, in FusedActivation activation)
    {
        var alpha = Vector256.Create(activation.Alpha);
        var beta = Vector256.Create(activation.Beta);
        var zero = Vector256<float>.Zero;
        var one = Vector256<float>.One;
        var six = Vector256.Create(6f);
        var half = Vector256.Create(0.5f);
        var kind = activation.Kind;
        var i = 0;
        for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var x = Vector256.Create((ReadOnlySpan<float>)values.Slice(i, Vector256<float>.Count));
            x = kind switch
            {
                ActivationKind.Relu => Vector256.Max(x, zero),
                ActivationKind.LeakyRelu => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, zero), x, x * alpha),
                ActivationKind.Clip => Vector256.Min(Vector256.Max(x, alpha), beta),
                ActivationKind.HardSigmoid => Vector256.Max(zero, Vector256.Min(one, alpha * x + beta)),
                ActivationKind.HardSwish => x * Vector256.Max(zero, Vector256.Min(one, x / six + half)),
                _ => x,
            };
            x.CopyTo(values.Slice(i, Vector256<float>.Count));
        }

        return i;
    }
}
