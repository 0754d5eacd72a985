using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Operators.Activations;

/// <summary>
/// Element-wise activations over a span (in place allowed). The piecewise-linear ones are vectorised; Sigmoid and
/// Tanh use the scalar definition on every path because a vector exp would change rounding against the oracle.
/// </summary>
public static class ActivationKernel
{
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, FusedActivation activation) =>
        Apply(source, destination, activation, SimdCapabilities.Best);

    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, FusedActivation activation, SimdLevel level)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than the source.", nameof(destination));
        }

        var done = 0;
        if (IsVectorisable(activation.Kind))
        {
            level = SimdCapabilities.Require(level);
            if (level == SimdLevel.Vector512)
            {
                done = Vector512Path(source, destination, activation);
            }
            else if (level == SimdLevel.Vector256)
            {
                done = Vector256Path(source, destination, activation);
            }
        }

        ActivationReference.Apply(source[done..], destination[done..], activation);
    }

    private static bool IsVectorisable(ActivationKind kind) =>
        kind is ActivationKind.None or ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Clip
            or ActivationKind.HardSigmoid or ActivationKind.HardSwish;

    private static int Vector512Path(ReadOnlySpan<float> source, Span<float> destination, FusedActivation a)
    {
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var alpha = Vector512.Create(a.Alpha);
        var beta = Vector512.Create(a.Beta);
        var zero = Vector512<float>.Zero;
        var one = Vector512.Create(1f);
        var six = Vector512.Create(6f);
        var half = Vector512.Create(0.5f);
        var i = 0;
        for (; i <= source.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var x = Vector512.LoadUnsafe(ref src, (nuint)i);
            var y = a.Kind switch
            {
                ActivationKind.Relu => Vector512.Max(x, zero),
                ActivationKind.LeakyRelu => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, zero), x, x * alpha),
                ActivationKind.Clip => Vector512.Min(Vector512.Max(x, alpha), beta),
                ActivationKind.HardSigmoid => Vector512.Max(zero, Vector512.Min(one, (alpha * x) + beta)),
                ActivationKind.HardSwish => x * Vector512.Max(zero, Vector512.Min(one, (x / six) + half)),
                _ => x,
            };
            y.StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    private static int Vector256Path(ReadOnlySpan<float> source, Span<float> destination, FusedActivation a)
    {
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var alpha = Vector256.Create(a.Alpha);
        var beta = Vector256.Create(a.Beta);
        var zero = Vector256<float>.Zero;
        var one = Vector256.Create(1f);
        var six = Vector256.Create(6f);
        var half = Vector256.Create(0.5f);
        var i = 0;
        for (; i <= source.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var x = Vector256.LoadUnsafe(ref src, (nuint)i);
            var y = a.Kind switch
            {
                ActivationKind.Relu => Vector256.Max(x, zero),
                ActivationKind.LeakyRelu => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, zero), x, x * alpha),
                ActivationKind.Clip => Vector256.Min(Vector256.Max(x, alpha), beta),
                ActivationKind.HardSigmoid => Vector256.Max(zero, Vector256.Min(one, (alpha * x) + beta)),
                ActivationKind.HardSwish => x * Vector256.Max(zero, Vector256.Min(one, (x / six) + half)),
                _ => x,
            };
            y.StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool NeedsWork(FusedActivation activation) => activation.Kind != ActivationKind.None;
}
