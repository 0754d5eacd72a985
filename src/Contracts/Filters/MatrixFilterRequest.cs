using System.Text.Json;

namespace ConvService.Contracts.Filters;

/// <summary>Filters a small matrix of numbers, as the lecture's worked examples do.</summary>
/// <param name="Input">The image, row by row (all rows the same length).</param>
/// <param name="Kernel">A kernel name from <c>GET /api/kernels</c>; give this or <paramref name="Matrix"/>.</param>
/// <param name="Matrix">A custom kernel, row by row.</param>
/// <param name="Size">Size of a named box, sharpen or gaussian kernel.</param>
/// <param name="Sigma">Standard deviation of a gaussian kernel.</param>
/// <param name="Op"><c>correlate</c> (default) or <c>convolve</c> (kernel flipped).</param>
/// <param name="Border"><c>zero</c>, <c>reflect</c>, <c>reflect101</c> (default), <c>replicate</c> or <c>wrap</c>.</param>
/// <param name="Padding"><c>"same"</c> (default), <c>"valid"</c>, or a number of pixels P.</param>
/// <param name="Stride">Step S between outputs (default 1).</param>
/// <param name="Fit"><c>exact</c> (default: refuse when (N - F + 2P)/S + 1 is not whole) or <c>floor</c>.</param>
public sealed record MatrixFilterRequest(
    double[][]? Input,
    string? Kernel = null,
    double[][]? Matrix = null,
    int? Size = null,
    double? Sigma = null,
    string? Op = null,
    string? Border = null,
    JsonElement? Padding = null,
    int? Stride = null,
    string? Fit = null);
