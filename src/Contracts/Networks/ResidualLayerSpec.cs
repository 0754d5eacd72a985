namespace ConvService.Contracts.Networks;

/// <summary>
/// A ResNet block: conv-BN-ReLU layers plus a shortcut, added, then ReLU. The shortcut is the identity unless the
/// shape changes (stride or depth), then a 1x1 conv projection with BatchNorm.
/// </summary>
public sealed record ResidualLayerSpec : LayerSpec
{
    public ResidualBlockKind Block { get; init; } = ResidualBlockKind.Basic;

    /// <summary>Width of the block's 3x3 conv; a bottleneck outputs Filters x Expansion channels.</summary>
    public required int Filters { get; init; }

    public int Stride { get; init; } = 1;

    /// <summary>Bottleneck output multiplier; defaults to 4 (bottleneck) or 1 (basic).</summary>
    public int? Expansion { get; init; }

    /// <summary>Force (true) or forbid (false) the projection shortcut; by default used only when the shape changes.</summary>
    public bool? Projection { get; init; }
}
