namespace ConvService.Contracts.Filters;

/// <summary>Size of a filter's output.</summary>
public sealed record OutputSize(int Rows, int Cols);
