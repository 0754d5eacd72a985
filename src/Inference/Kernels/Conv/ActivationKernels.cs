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
        if (IsVectorised(kind))
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

    /// <summary>True where <see cref="Apply(Vector512{float}, in FusedActivation)"/> computes the activation exactly.</summary>
    public static bool IsVectorised(ActivationKind kind) => kind is not (ActivationKind.Sigmoid or ActivationKind.Tanh);

    /// <summary>One vector of a piecewise-linear activation (None passes through); see <see cref="IsVectorised"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply(Vector512<float> x, in FusedActivation activation) => activation.Kind switch
    {
        ActivationKind.Relu => Vector512.Max(x, Vector512<float>.Zero),
        ActivationKind.LeakyRelu => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), x, x * activation.Alpha),
        ActivationKind.Clip => Vector512.Min(Vector512.Max(x, Vector512.Create(activation.Alpha)), Vector512.Create(activation.Beta)),
        ActivationKind.HardSigmoid => Vector512.Max(Vector512<float>.Zero, Vector512.Min(Vector512<float>.One, x * activation.Alpha + Vector512.Create(activation.Beta))),
        ActivationKind.HardSwish => x * Vector512.Max(Vector512<float>.Zero, Vector512.Min(Vector512<float>.One, x / 6f + Vector512.Create(0.5f))),
        _ => x,
    };

    /// <summary>Returns how many leading values it handled (whole vectors only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Apply512(Span<float> values, in FusedActivation activation)
    {
        var i = 0;
        for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var x = Vector512.Create((ReadOnlySpan<float>)values.Slice(i, Vector512<float>.Count));
            Apply(x, activation).CopyTo(values.Slice(i, Vector512<float>.Count));
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
