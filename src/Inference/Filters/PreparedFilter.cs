namespace ConvService.Inference.Filters;

/// <summary>A filter measured and planned for one image size (<see cref="ImageFilter.Prepare"/>).</summary>
public sealed class PreparedFilter
{
    private readonly FilterPlan plan;
    private readonly int width;
    private readonly int height;

    internal PreparedFilter(int width, int height, OutputGeometry geometry, FilterPlan plan)
    {
        this.width = width;
        this.height = height;
        Geometry = geometry;
        this.plan = plan;
    }

    /// <summary>The output size, padding and the worked formula per axis.</summary>
    public OutputGeometry Geometry { get; }

    /// <summary>Filters <paramref name="image"/> (which must have the prepared size) into a new image, checking <paramref name="cancellationToken"/> between bands of rows.</summary>
    public FloatImage Run(FloatImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width != width || image.Height != height)
        {
            throw new ArgumentException($"The filter was prepared for {width}x{height} images, not {image.Width}x{image.Height}.", nameof(image));
        }

        var output = new FloatImage(Geometry.OutWidth, Geometry.OutHeight, image.Channels);
        plan.Execute(image, output, cancellationToken);
        return output;
    }
}
