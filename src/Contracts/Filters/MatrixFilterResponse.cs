namespace ConvService.Contracts.Filters;

/// <summary>The filtered matrix and the arithmetic that sized it.</summary>
/// <param name="Output">The result, row by row, unrounded.</param>
/// <param name="OutputSize">Rows and columns of the result.</param>
/// <param name="Formula">The worked output-size formula for rows and for columns.</param>
public sealed record MatrixFilterResponse(float[][] Output, OutputSize OutputSize, AxisFormula Formula);
