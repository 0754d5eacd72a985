namespace ConvService.Contracts.Networks;

/// <summary>Local response normalisation across Size neighbouring channels (AlexNet's NORM layers); no parameters.</summary>
public sealed record LrnLayerSpec : LayerSpec
{
    public int Size { get; init; } = 5;
}
