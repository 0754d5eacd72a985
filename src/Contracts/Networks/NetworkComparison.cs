namespace ConvService.Contracts.Networks;

public sealed record NetworkComparison(IReadOnlyList<NetworkComparisonEntry> Networks);
