namespace ConvService.Contracts.Networks;

public sealed record DropoutLayerSpec : LayerSpec
{
    /// <summary>Fraction of units dropped while training, in [0, 1).</summary>
    public double Rate { get; init; } = 0.5;
}
