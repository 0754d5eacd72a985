namespace ConvService.Contracts.Networks;

/// <summary>K filters of size F (or [Fh, Fw]) sliding with stride S over zero-padded input; weights shared across positions.</summary>
public sealed record ConvLayerSpec : LayerSpec
{
    public required int Filters { get; init; }

    public required Extent2 Size { get; init; }

    public Extent2 Stride { get; init; } = 1;

    public PaddingSpec Padding { get; init; } = 0;

    public Extent2 Dilation { get; init; } = 1;

    public int Groups { get; init; } = 1;

    public bool Bias { get; init; } = true;
}
