namespace ConvService.Contracts.Networks;

/// <summary>Locally connected: a conv whose weights (and biases) are not shared, one set per output position.</summary>
public sealed record LocalLayerSpec : LayerSpec
{
    public required int Filters { get; init; }

    public required Extent2 Size { get; init; }

    public Extent2 Stride { get; init; } = 1;

    public PaddingSpec Padding { get; init; } = 0;

    public bool Bias { get; init; } = true;
}
