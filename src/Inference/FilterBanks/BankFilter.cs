using ConvService.Inference.Filters;

namespace ConvService.Inference.FilterBanks;

/// <summary>
/// One filter of a bank, e.g. "edge s=1 o=30deg". The kernel is shared and cached: treat its arrays as read-only.
/// </summary>
public sealed record BankFilter(string Name, Kernel2D Kernel);
