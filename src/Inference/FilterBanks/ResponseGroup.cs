namespace ConvService.Inference.FilterBanks;

/// <summary>
/// The filters whose responses collapse into one output by a per-pixel maximum. A group of one filter is a plain
/// response; MR8 uses groups of the 6 orientations of one (type, scale).
/// </summary>
internal sealed record ResponseGroup(string Name, int[] FilterIndices);
