namespace ConvService.Contracts.Filters;

/// <summary>(N - F + 2P)/S + 1 worked out for each axis, e.g. <c>(10 - 3)/1 + 1 = 8</c>.</summary>
public sealed record AxisFormula(string Rows, string Cols);
