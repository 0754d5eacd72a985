using System.Runtime.CompilerServices;
using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Operators.Unary;
using ConvService.Inference.Simd;
using static ConvService.Inference.Operators.Activations.ActivationOperators;

namespace ConvService.Inference.Operators.Activations;

/// <summary>
/// Element-wise activations over a span (in place allowed): one switch on the kind, then the shared element-wise
/// loop specialised for that activation's operator, whose last vector overlaps the previous one instead of a tail.
/// </summary>
public static class ActivationKernel
{
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, FusedActivation activation) =>
        Apply(source, destination, activation, SimdCapabilities.Best);

    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, FusedActivation activation, SimdLevel level)
    {
        var a = activation.Alpha;
        var b = activation.Beta;
        switch (activation.Kind)
        {
            case ActivationKind.None: UnaryDriver.Run(source, destination, default(IdentityOperator), level); break;
            case ActivationKind.Relu: UnaryDriver.Run(source, destination, default(ReluOperator), level); break;
            case ActivationKind.LeakyRelu: UnaryDriver.Run(source, destination, new LeakyReluOperator(a), level); break;
            case ActivationKind.Clip: UnaryDriver.Run(source, destination, new ClipOperator(a, b), level); break;
            case ActivationKind.Sigmoid: UnaryDriver.Run(source, destination, default(SigmoidOperator), level); break;
            case ActivationKind.HardSigmoid: UnaryDriver.Run(source, destination, new HardSigmoidOperator(a, b), level); break;
            case ActivationKind.HardSwish: UnaryDriver.Run(source, destination, default(HardSwishOperator), level); break;
            case ActivationKind.Tanh: UnaryDriver.Run(source, destination, default(TanhOperator), level); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation.Kind, "unknown activation");
        }
    }

    /// <summary>
    /// One vector of any activation, for epilogues that finish a register tile at a time (a masked store cannot go
    /// through the span loop); the switch costs one predictable branch per vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector Apply<TVector, TWidth>(TVector x, in FusedActivation activation)
        where TVector : struct
        where TWidth : IWidth<TVector> =>
        activation.Kind switch
        {
            ActivationKind.Relu => default(ReluOperator).Invoke<TVector, TWidth>(x),
            ActivationKind.LeakyRelu => new LeakyReluOperator(activation.Alpha).Invoke<TVector, TWidth>(x),
            ActivationKind.Clip => new ClipOperator(activation.Alpha, activation.Beta).Invoke<TVector, TWidth>(x),
            ActivationKind.Sigmoid => default(SigmoidOperator).Invoke<TVector, TWidth>(x),
            ActivationKind.HardSigmoid => new HardSigmoidOperator(activation.Alpha, activation.Beta).Invoke<TVector, TWidth>(x),
            ActivationKind.HardSwish => default(HardSwishOperator).Invoke<TVector, TWidth>(x),
            ActivationKind.Tanh => default(TanhOperator).Invoke<TVector, TWidth>(x),
            _ => x,
        };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool NeedsWork(FusedActivation activation) => activation.Kind != ActivationKind.None;
}
