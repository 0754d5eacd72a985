namespace ConvService.Inference.Networks;

/// <summary>Upper bounds on one analysed network, so a hostile spec cannot make the service walk for ever.</summary>
public sealed record NetworkLimits
{
    public static NetworkLimits Default { get; } = new();

    /// <summary>Most layers after blocks are expanded (ResNet-152 has about 520).</summary>
    public int MaxLayers { get; init; } = 5_000;

    /// <summary>Most learnable parameters (VGG-19 has 144 million).</summary>
    public long MaxParameters { get; init; } = 10_000_000_000;

    /// <summary>Deepest nesting of blocks inside blocks.</summary>
    public int MaxNestingDepth { get; init; } = 16;

    /// <summary>Largest input height or width.</summary>
    public int MaxInputSide { get; init; } = 65_536;
}
