namespace ConvService.Contracts.Filters;

/// <summary>Per-response statistics of an image filtered with a bank (<c>format=json</c>), for texture matching.</summary>
public sealed record FilterBankStatistics(string Bank, int Width, int Height, IReadOnlyList<ResponseStatistics> Responses);
