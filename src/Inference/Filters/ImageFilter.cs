namespace ConvService.Inference.Filters;

/// <summary>
/// Filters an image channel by channel with a linear kernel or a gradient magnitude. Output is float and
/// unclamped, so negative edge responses survive for the caller to scale.
/// </summary>
public static class ImageFilter
{
    /// <summary>The output size and padding a filter would use, or a refusal explaining why it cannot run.</summary>
    public static OutputGeometry Measure(int width, int height, int kernelRows, int kernelCols, FilterSettings s) =>
        FilterGeometry.Measure(width, height, kernelRows, kernelCols, s);

    /// <summary>
    /// Measures and prepares a filter for images of one size, once: the caller reads <see cref="PreparedFilter.Geometry"/>
    /// (to check limits or report the formula) and runs the same plan, with no second measurement.
    /// </summary>
    /// <param name="simd">Forces a code path (for tests); null picks the widest accelerated one.</param>
    public static PreparedFilter Prepare(int width, int height, FilterKernel kernel, FilterSettings s, SimdLevel? simd = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var g = Measure(width, height, kernel.Rows, kernel.Cols, s);
        return new PreparedFilter(width, height, g, new FilterPlan(width, height, g, kernel, s, simd ?? SimdCapabilities.Best));
    }

    /// <summary>Filters <paramref name="image"/> into a new image of the measured output size.</summary>
    /// <param name="simd">Forces a code path (for tests); null picks the widest accelerated one.</param>
    public static FloatImage Apply(FloatImage image, FilterKernel kernel, FilterSettings s, SimdLevel? simd = null) =>
        Apply(image, kernel, s, CancellationToken.None, simd);

    /// <summary>As above, stopping between bands of rows once <paramref name="cancellationToken"/> fires.</summary>
    public static FloatImage Apply(FloatImage image, FilterKernel kernel, FilterSettings s, CancellationToken cancellationToken, SimdLevel? simd = null) =>
        Prepare(image.Width, image.Height, kernel, s, simd).Run(image, cancellationToken);

    /// <summary>Filters into <paramref name="output"/>, which must already have the measured size and the same channels.</summary>
    public static void Apply(FloatImage image, FilterKernel kernel, FilterSettings s, FloatImage output, SimdLevel? simd = null)
    {
        var g = Measure(image.Width, image.Height, kernel.Rows, kernel.Cols, s);
        if (output.Width != g.OutWidth || output.Height != g.OutHeight || output.Channels != image.Channels)
        {
            throw new ArgumentException(
                $"Output is {output.Width}x{output.Height}x{output.Channels}, the filter produces {g.OutWidth}x{g.OutHeight}x{image.Channels}.",
                nameof(output));
        }

        if (ReferenceEquals(output.Data, image.Data))
        {
            throw new ArgumentException("The output must not share its buffer with the input.", nameof(output));
        }

        new FilterPlan(image.Width, image.Height, g, kernel, s, simd ?? SimdCapabilities.Best).Execute(image, output);
    }
}
