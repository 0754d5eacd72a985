namespace ConvService.Inference.Kernels.Conv;

/// <summary>An element-wise activation applied to a convolution's output while it is still in cache.</summary>
public readonly record struct FusedActivation(ActivationKind Kind, float Alpha = 0f, float Beta = 0f)
{
    public static FusedActivation None => new(ActivationKind.None);

    public static FusedActivation Relu => new(ActivationKind.Relu);

    /// <summary>The scalar definition; vector paths must agree with it.</summary>
    public float Apply(float x) => Kind switch
    {
        ActivationKind.None => x,
        ActivationKind.Relu => MathF.Max(x, 0f),
        ActivationKind.LeakyRelu => x >= 0f ? x : Alpha * x,
        ActivationKind.Clip => MathF.Min(MathF.Max(x, Alpha), Beta),
        ActivationKind.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        ActivationKind.HardSigmoid => MathF.Max(0f, MathF.Min(1f, Alpha * x + Beta)),
        ActivationKind.HardSwish => x * MathF.Max(0f, MathF.Min(1f, x / 6f + 0.5f)),
        ActivationKind.Tanh => MathF.Tanh(x),
        _ => throw new InvalidOperationException($"Unknown activation {Kind}."),
    };
}
