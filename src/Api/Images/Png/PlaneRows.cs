namespace ConvService.Api.Images.Png;

/// <summary>
/// Spreads one unfiltered PNG row over the planes as ImageSharp's Rgba32 would hold it: gray fills R, G and B
/// alike, alpha (when the colour type has it) goes to the fourth plane.
/// </summary>
internal static class PlaneRows
{
    /// <summary>Writes row <paramref name="y"/>; true when a pixel in it is not fully opaque.</summary>
    public static bool Write(ReadOnlySpan<byte> row, int colorType, Span<float> values, int width, int height, int y)
    {
        var plane = width * height;
        var at = y * width;
        Span<float> r = values.Slice(at, width), g = values.Slice(plane + at, width), b = values.Slice((2 * plane) + at, width);
        switch (colorType)
        {
            case 0:
                for (var x = 0; x < r.Length; x++)
                {
                    r[x] = g[x] = b[x] = row[x];
                }

                return false;
            case 2:
                for (var x = 0; x < r.Length; x++)
                {
                    r[x] = row[3 * x];
                    g[x] = row[(3 * x) + 1];
                    b[x] = row[(3 * x) + 2];
                }

                return false;
            case 4:
            {
                var a = values.Slice((3 * plane) + at, width);
                var opaque = byte.MaxValue;
                for (var x = 0; x < r.Length; x++)
                {
                    r[x] = g[x] = b[x] = row[2 * x];
                    var alpha = row[(2 * x) + 1];
                    a[x] = alpha;
                    opaque &= alpha;
                }

                return opaque != byte.MaxValue;
            }

            default:
            {
                var a = values.Slice((3 * plane) + at, width);
                var opaque = byte.MaxValue;
                for (var x = 0; x < r.Length; x++)
                {
                    r[x] = row[4 * x];
                    g[x] = row[(4 * x) + 1];
                    b[x] = row[(4 * x) + 2];
                    var alpha = row[(4 * x) + 3];
                    a[x] = alpha;
                    opaque &= alpha;
                }

                return opaque != byte.MaxValue;
            }
        }
    }
}
