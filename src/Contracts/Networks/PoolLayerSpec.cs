namespace ConvService.Contracts.Networks;

public sealed record PoolLayerSpec : LayerSpec
{
    public PoolMode Mode { get; init; } = PoolMode.Max;

    public required Extent2 Size { get; init; }

    /// <summary>Defaults to the size (non-overlapping windows).</summary>
    public Extent2? Stride { get; init; }

    public PaddingSpec Padding { get; init; } = 0;

    /// <summary>Round the output size up as PyTorch's ceil_mode does (a window may start in the padding, never past it).</summary>
    public bool CeilMode { get; init; }
}
