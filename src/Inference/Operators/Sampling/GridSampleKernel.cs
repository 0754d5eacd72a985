namespace ConvService.Inference.Operators.Sampling;

/// <summary>
/// GridSample on 2-D images: output pixel (n, c, h, w) reads input plane (n, c) at the point the grid gives for
/// (n, h, w), in coordinates normalised to [-1, 1] (-1 the first pixel's centre with align_corners, its outer edge
/// without). Points outside are read as zeros, clamped to the border, or reflected off it. Follows ONNX Runtime's
/// order of operations, so results agree to rounding: for linear and nearest the point is first brought inside for
/// border and reflection, then each tap is fetched under the same padding; cubic pads only its taps.
/// </summary>
internal static class GridSampleKernel
{
    private const float CubicAlpha = -0.75f;

    /// <param name="input">[n, c, height, width].</param>
    /// <param name="grid">[n, outHeight, outWidth, 2], x then y.</param>
    /// <param name="output">[n, c, outHeight, outWidth].</param>
    public static void Run(
        ReadOnlySpan<float> input, ReadOnlySpan<float> grid, Span<float> output, int n, int c, int height, int width, int outHeight, int outWidth, GridSampleOptions options)
    {
        var bounds = options.AlignCorners ? new Bounds(0, 0, width - 1, height - 1) : new Bounds(-0.5f, -0.5f, width - 0.5f, height - 0.5f);
        var outPlane = outHeight * outWidth;
        for (var b = 0; b < n; b++)
        {
            for (var p = 0; p < outPlane; p++)
            {
                var x = Denormalize(grid[(((b * outPlane) + p) * 2) + 0], width, options.AlignCorners);
                var y = Denormalize(grid[(((b * outPlane) + p) * 2) + 1], height, options.AlignCorners);
                if (options.Mode == GridSampleMode.Nearest)
                {
                    x = MathF.Round(x, MidpointRounding.ToEven);
                    y = MathF.Round(y, MidpointRounding.ToEven);
                }

                // Cubic taps are padded one by one; the point itself stays where the grid puts it.
                if (options.Mode != GridSampleMode.Cubic && (x < bounds.XMin || x > bounds.XMax || y < bounds.YMin || y > bounds.YMax))
                {
                    if (options.Padding == GridPadding.Border)
                    {
                        x = Math.Clamp(x, 0, width - 1);
                        y = Math.Clamp(y, 0, height - 1);
                    }
                    else if (options.Padding == GridPadding.Reflection)
                    {
                        x = Reflect(x, bounds.XMin, bounds.XMax);
                        y = Reflect(y, bounds.YMin, bounds.YMax);
                    }
                }

                for (var channel = 0; channel < c; channel++)
                {
                    var plane = input.Slice(((b * c) + channel) * height * width, height * width);
                    output[(((b * c) + channel) * outPlane) + p] = Sample(plane, x, y, height, width, bounds, options);
                }
            }
        }
    }

    private static float Sample(ReadOnlySpan<float> plane, float x, float y, int height, int width, in Bounds bounds, GridSampleOptions options)
    {
        switch (options.Mode)
        {
            case GridSampleMode.Nearest:
                return Pixel(plane, (long)y, (long)x, height, width, bounds, options.Padding);
            case GridSampleMode.Linear:
            {
                var x1 = MathF.Floor(x);
                var y1 = MathF.Floor(y);
                float dx1 = x - x1, dx2 = x1 + 1 - x, dy1 = y - y1, dy2 = y1 + 1 - y;
                long c1 = (long)x1, r1 = (long)y1;
                var p11 = Pixel(plane, r1, c1, height, width, bounds, options.Padding);
                var p12 = Pixel(plane, r1, c1 + 1, height, width, bounds, options.Padding);
                var p21 = Pixel(plane, r1 + 1, c1, height, width, bounds, options.Padding);
                var p22 = Pixel(plane, r1 + 1, c1 + 1, height, width, bounds, options.Padding);
                return (dy2 * ((dx2 * p11) + (dx1 * p12))) + (dy1 * ((dx2 * p21) + (dx1 * p22)));
            }

            default:
            {
                var x0 = MathF.Floor(x) - 1;
                var y0 = MathF.Floor(y) - 1;
                Span<float> columnWeights = stackalloc float[4];
                Span<float> rowWeights = stackalloc float[4];
                CubicWeights(x - x0 - 1, columnWeights);
                CubicWeights(y - y0 - 1, rowWeights);
                var sum = 0f;
                for (var i = 0; i < 4; i++)
                {
                    var row = 0f;
                    for (var j = 0; j < 4; j++)
                    {
                        row += columnWeights[j] * Pixel(plane, (long)y0 + i, (long)x0 + j, height, width, bounds, options.Padding);
                    }

                    sum += rowWeights[i] * row;
                }

                return sum;
            }
        }
    }

    /// <summary>A normalised coordinate in pixels: -1 and 1 are the outer pixel centres with align_corners, the image edges without.</summary>
    private static float Denormalize(float value, int size, bool alignCorners) =>
        alignCorners ? (value + 1) / 2 * (size - 1) : (((value + 1) * size) - 1) / 2;

    /// <summary>One tap: zero outside for zeros padding, the nearest edge pixel for border, the mirrored pixel for reflection.</summary>
    private static float Pixel(ReadOnlySpan<float> plane, long row, long column, int height, int width, in Bounds bounds, GridPadding padding)
    {
        switch (padding)
        {
            case GridPadding.Zeros:
                return row >= 0 && row < height && column >= 0 && column < width ? plane[(int)((row * width) + column)] : 0f;
            case GridPadding.Border:
                return plane[(int)((Math.Clamp(row, 0, height - 1) * width) + Math.Clamp(column, 0, width - 1))];
            default:
                var c = (long)Reflect(column, bounds.XMin, bounds.XMax);
                var r = (long)Reflect(row, bounds.YMin, bounds.YMax);
                return plane[(int)((Math.Clamp(r, 0, height - 1) * width) + Math.Clamp(c, 0, width - 1))];
        }
    }

    /// <summary>Mirrors a coordinate into [min, max], as often as it takes.</summary>
    private static float Reflect(float value, float min, float max)
    {
        var range = max - min;
        if (range <= 0)
        {
            return min;
        }

        if (value < min)
        {
            var distance = min - value;
            var flips = (int)(distance / range);
            var rest = distance - (flips * range);
            return flips % 2 == 0 ? min + rest : max - rest;
        }

        if (value > max)
        {
            var distance = value - max;
            var flips = (int)(distance / range);
            var rest = distance - (flips * range);
            return flips % 2 == 0 ? max - rest : min + rest;
        }

        return value;
    }

    /// <summary>Keys' cubic convolution weights (a = -0.75) for the four taps around a point at fraction t past the second.</summary>
    private static void CubicWeights(float t, Span<float> weights)
    {
        const float a = CubicAlpha;
        t = MathF.Abs(t);
        weights[0] = ((((a * (t + 1)) - (5 * a)) * (t + 1)) + (8 * a)) * (t + 1) - (4 * a);
        weights[1] = ((((a + 2) * t) - (a + 3)) * t * t) + 1;
        weights[2] = ((((a + 2) * (1 - t)) - (a + 3)) * (1 - t) * (1 - t)) + 1;
        weights[3] = ((((a * (2 - t)) - (5 * a)) * (2 - t)) + (8 * a)) * (2 - t) - (4 * a);
    }

    private readonly record struct Bounds(float XMin, float YMin, float XMax, float YMax);
}
