namespace ConvService.Contracts.Networks;

/// <summary>One built-in network in the catalogue.</summary>
public sealed record NetworkSummary(string Name, string Description, long Parameters, string InputShape, IReadOnlyList<int> InputDims);
