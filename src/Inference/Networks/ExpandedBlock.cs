using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks;

/// <summary>A block written out as plain layers: parallel branches, how they merge, and layers applied after the merge.</summary>
public sealed record ExpandedBlock(IReadOnlyList<IReadOnlyList<LayerSpec>> Branches, MergeMode Merge, IReadOnlyList<LayerSpec> After);
