namespace ConvService.Contracts.Networks;

/// <summary>Pools each channel's whole map to one value (HxWxC to 1x1xC).</summary>
public sealed record GlobalPoolLayerSpec : LayerSpec
{
    public PoolMode Mode { get; init; } = PoolMode.Avg;
}
