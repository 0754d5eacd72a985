namespace ConvService.Contracts.Filters;

/// <summary>A filtered image as raw numbers (<c>format=json</c>).</summary>
/// <param name="Width">Output width.</param>
/// <param name="Height">Output height.</param>
/// <param name="Channels">1 (gray), 3 (RGB) or 4 (RGBA).</param>
/// <param name="Data">Float results, unclamped and unrounded, row-major as [height][width][channels], channels in R, G, B(, A) order.</param>
/// <param name="Formula">The worked output-size formula per axis.</param>
/// <param name="Timings">Where the request's time went.</param>
public sealed record FilteredImageResponse(int Width, int Height, int Channels, float[] Data, AxisFormula Formula, FilterTimings Timings);
