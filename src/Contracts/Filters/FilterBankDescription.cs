namespace ConvService.Contracts.Filters;

/// <summary>A filter bank as <c>GET /api/filter/banks</c> lists it.</summary>
/// <param name="Name">The name to pass as <c>bank</c>.</param>
/// <param name="DisplayName">Its usual name.</param>
/// <param name="Description">What it is made of.</param>
/// <param name="Filters">The filters, in order.</param>
/// <param name="Responses">The responses it returns (for mr8, the 8 maxima over orientations).</param>
/// <param name="ImageUrl">Where to get a picture of all its filters.</param>
public sealed record FilterBankDescription(
    string Name,
    string DisplayName,
    string Description,
    IReadOnlyList<string> Filters,
    IReadOnlyList<string> Responses,
    string ImageUrl);
