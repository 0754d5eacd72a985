namespace ConvService.Contracts.Networks;

/// <summary>
/// Parallel branches from the same input, joined by concat (same height and width) or add (same shape).
/// An empty branch is the identity, so a residual connection is [[...layers], []] with merge "add".
/// </summary>
public sealed record BranchesLayerSpec : LayerSpec
{
    public required IReadOnlyList<IReadOnlyList<LayerSpec>> Branches { get; init; }

    public MergeMode Merge { get; init; } = MergeMode.Concat;
}
