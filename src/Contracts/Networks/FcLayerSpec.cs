namespace ConvService.Contracts.Networks;

/// <summary>Fully connected; flattens its input first, so it may follow a conv or pool layer directly.</summary>
public sealed record FcLayerSpec : LayerSpec
{
    public required int Units { get; init; }

    public bool Bias { get; init; } = true;
}
