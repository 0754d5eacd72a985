namespace ConvService.Inference.Engine;

/// <summary>Limits and execution settings for loading and running a model. The defaults suit ImageNet-size CNNs.</summary>
public sealed record EngineOptions
{
    /// <summary>Threads a convolution or matrix multiply may use.</summary>
    public int DegreeOfParallelism { get; init; } = 1;

    /// <summary>Largest number of elements any single tensor (weight or activation) may have.</summary>
    public long MaxElementsPerTensor { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest number of floats all activation buffers of one session may hold together.</summary>
    public long MaxTotalElements { get; init; } = 512L * 1024 * 1024;

    /// <summary>The setting an operator changes to raise <see cref="MaxTotalElements"/>, named when a plan is refused.</summary>
    public string MaxTotalElementsSetting { get; init; } = nameof(MaxTotalElements);

    /// <summary>Largest model file accepted, in bytes.</summary>
    public long MaxModelBytes { get; init; } = 512L * 1024 * 1024;

    public int MaxNodes { get; init; } = 10_000;

    /// <summary>Oldest default-domain operator set accepted.</summary>
    public int MinOpset { get; init; } = 1;

    /// <summary>Newest default-domain operator set accepted.</summary>
    public int MaxOpset { get; init; } = 22;

    /// <summary>Largest batch a session may be created for.</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>
    /// Execution plans a model keeps, one per concrete input shape; the least recently used one goes when another is
    /// needed. Models with symbolic image sizes plan each new size once, so this bounds their memory.
    /// </summary>
    public int MaxPlansPerModel { get; init; } = 8;

    /// <summary>Widest vector path the math operators' kernels use (chosen when a plan is built); tests lower it to run every path.</summary>
    public SimdLevel Simd { get; init; } = SimdCapabilities.Best;

    public static EngineOptions Default { get; } = new();
}
