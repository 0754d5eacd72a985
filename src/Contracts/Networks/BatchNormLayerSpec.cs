namespace ConvService.Contracts.Networks;

/// <summary>Batch normalisation; with Affine it learns a scale and a shift per channel (counted as parameters).</summary>
public sealed record BatchNormLayerSpec : LayerSpec
{
    public bool Affine { get; init; } = true;
}
