using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Operators.Activations;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Applies a fused activation in place over a run of outputs still in cache, through the same operator structs as
/// the standalone activation, so each activation is defined once.
/// </summary>
internal static class ActivationKernels
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(Span<float> values, in FusedActivation activation, SimdLevel level)
    {
        if (activation.Kind != ActivationKind.None)
        {
            ActivationKernel.Apply(values, values, activation, level);
        }
    }

    /// <summary>One 512-bit vector of any activation (None passes through).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply(Vector512<float> x, in FusedActivation activation) =>
        ActivationKernel.Apply<Vector512<float>, Width512>(x, activation);

    /// <summary>One 256-bit vector of any activation (None passes through).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply(Vector256<float> x, in FusedActivation activation) =>
        ActivationKernel.Apply<Vector256<float>, Width256>(x, activation);
}
