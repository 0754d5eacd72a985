namespace ConvService.Inference.Operators.Sampling;

/// <summary>How RoiAlign pools each bin's samples and where pixel centres sit.</summary>
internal readonly record struct RoiAlignOptions(bool Max, bool HalfPixel, int OutHeight, int OutWidth, int SamplingRatio, float SpatialScale);

/// <summary>
/// RoiAlign: each region of interest (x1, y1, x2, y2, scaled by spatial_scale) is cut into out_h x out_w bins, each
/// bin sampled on a regular grid by bilinear interpolation, and the samples averaged or their maximum taken. Follows
/// ONNX Runtime's arithmetic: samples more than a pixel outside read as zero, samples at the far edge clamp to it,
/// and max mode takes the largest weighted corner of each sample.
/// </summary>
internal static class RoiAlignKernel
{
    /// <param name="input">[n, c, height, width].</param>
    /// <param name="rois">[count, 4].</param>
    /// <param name="batchIndices">The image of each region, already checked to be in range.</param>
    /// <param name="output">[count, c, outHeight, outWidth].</param>
    public static void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> rois, ReadOnlySpan<int> batchIndices, Span<float> output, int c, int height, int width, RoiAlignOptions options)
    {
        var offset = options.HalfPixel ? 0.5f : 0f;
        var bins = options.OutHeight * options.OutWidth;
        for (var r = 0; r < batchIndices.Length; r++)
        {
            var startW = (rois[(r * 4) + 0] * options.SpatialScale) - offset;
            var startH = (rois[(r * 4) + 1] * options.SpatialScale) - offset;
            var roiWidth = (rois[(r * 4) + 2] * options.SpatialScale) - offset - startW;
            var roiHeight = (rois[(r * 4) + 3] * options.SpatialScale) - offset - startH;
            if (!options.HalfPixel)
            {
                // The older convention forces every region to at least one pixel.
                roiWidth = MathF.Max(roiWidth, 1);
                roiHeight = MathF.Max(roiHeight, 1);
            }

            var binHeight = roiHeight / options.OutHeight;
            var binWidth = roiWidth / options.OutWidth;
            var gridH = options.SamplingRatio > 0 ? options.SamplingRatio : (int)MathF.Ceiling(roiHeight / options.OutHeight);
            var gridW = options.SamplingRatio > 0 ? options.SamplingRatio : (int)MathF.Ceiling(roiWidth / options.OutWidth);
            var count = Math.Max(gridH * gridW, 1);
            for (var channel = 0; channel < c; channel++)
            {
                var plane = input.Slice(((batchIndices[r] * c) + channel) * height * width, height * width);
                var destination = output.Slice(((r * c) + channel) * bins, bins);
                for (var ph = 0; ph < options.OutHeight; ph++)
                {
                    for (var pw = 0; pw < options.OutWidth; pw++)
                    {
                        var sum = 0f;
                        var max = float.NegativeInfinity;
                        for (var iy = 0; iy < gridH; iy++)
                        {
                            var y = startH + (ph * binHeight) + ((iy + 0.5f) * binHeight / gridH);
                            for (var ix = 0; ix < gridW; ix++)
                            {
                                var x = startW + (pw * binWidth) + ((ix + 0.5f) * binWidth / gridW);
                                var (v1, v2, v3, v4) = Corners(plane, y, x, height, width);
                                sum += v1 + v2 + v3 + v4;
                                max = MathF.Max(max, MathF.Max(MathF.Max(v1, v2), MathF.Max(v3, v4)));
                            }
                        }

                        destination[(ph * options.OutWidth) + pw] = options.Max ? (gridH * gridW > 0 ? max : 0f) : sum / count;
                    }
                }
            }
        }
    }

    /// <summary>The four weighted corners of a bilinear sample; all zero more than a pixel outside the image.</summary>
    private static (float, float, float, float) Corners(ReadOnlySpan<float> plane, float y, float x, int height, int width)
    {
        if (y < -1.0f || y > height || x < -1.0f || x > width)
        {
            return (0, 0, 0, 0);
        }

        y = MathF.Max(y, 0);
        x = MathF.Max(x, 0);
        int yLow = (int)y, xLow = (int)x, yHigh, xHigh;
        if (yLow >= height - 1)
        {
            yHigh = yLow = height - 1;
            y = yLow;
        }
        else
        {
            yHigh = yLow + 1;
        }

        if (xLow >= width - 1)
        {
            xHigh = xLow = width - 1;
            x = xLow;
        }
        else
        {
            xHigh = xLow + 1;
        }

        float ly = y - yLow, lx = x - xLow, hy = 1 - ly, hx = 1 - lx;
        return (
            hy * hx * plane[(yLow * width) + xLow],
            hy * lx * plane[(yLow * width) + xHigh],
            ly * hx * plane[(yHigh * width) + xLow],
            ly * lx * plane[(yHigh * width) + xHigh]);
    }
}
