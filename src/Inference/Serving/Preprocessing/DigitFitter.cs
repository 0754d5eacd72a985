namespace ConvService.Inference.Serving.Preprocessing;

/// <summary>
/// Frames a drawn digit the way MNIST was made: crop to the ink, scale the longer side to 20 px keeping the
/// aspect ratio, then place it in the frame so its centre of mass sits at the centre. Input and output are gray
/// planes with light ink on a dark background, in the input's value range.
/// </summary>
public static class DigitFitter
{
    /// <summary>MNIST's digit box inside its 28x28 frame.</summary>
    public const int BoxSize = 20;

    /// <summary>A pixel counts as ink when it rises this fraction of the way from background to the brightest pixel.</summary>
    private const float InkThreshold = 0.25f;

    public static float[] Fit(ReadOnlySpan<float> plane, int width, int height, int frameWidth, int frameHeight)
    {
        var frame = new float[frameWidth * frameHeight];
        var background = BorderMedian(plane, width, height);
        var peak = float.NegativeInfinity;
        foreach (var v in plane)
        {
            peak = MathF.Max(peak, v);
        }

        if (!(peak - background > 1e-3f))
        {
            return frame; // nothing drawn
        }

        var threshold = background + InkThreshold * (peak - background);
        int left = width, right = -1, top = height, bottom = -1;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (plane[y * width + x] > threshold)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                }
            }
        }

        int boxWidth = right - left + 1, boxHeight = bottom - top + 1;
        var box = Math.Min(BoxSize, Math.Min(frameWidth, frameHeight));
        var scale = (float)box / Math.Max(boxWidth, boxHeight);
        var digitWidth = Math.Clamp((int)MathF.Round(boxWidth * scale), 1, box);
        var digitHeight = Math.Clamp((int)MathF.Round(boxHeight * scale), 1, box);

        // Background becomes zero so the padding around the digit matches MNIST's black.
        var lifted = new float[plane.Length];
        for (var i = 0; i < plane.Length; i++)
        {
            lifted[i] = Math.Max(0f, plane[i] - background);
        }

        var digit = Resampler.Resize(lifted, width, left, top, boxWidth, boxHeight, digitWidth, digitHeight);
        var (comX, comY) = CentreOfMass(digit, digitWidth, digitHeight);
        var offsetX = Math.Clamp((int)MathF.Round(frameWidth / 2f - comX), 0, frameWidth - digitWidth);
        var offsetY = Math.Clamp((int)MathF.Round(frameHeight / 2f - comY), 0, frameHeight - digitHeight);
        for (var y = 0; y < digitHeight; y++)
        {
            digit.AsSpan(y * digitWidth, digitWidth).CopyTo(frame.AsSpan((offsetY + y) * frameWidth + offsetX, digitWidth));
        }

        return frame;
    }

    /// <summary>The median of the outermost pixels: the paper colour, robust to a digit touching the edge.</summary>
    public static float BorderMedian(ReadOnlySpan<float> plane, int width, int height)
    {
        var border = new List<float>(2 * (width + height));
        for (var x = 0; x < width; x++)
        {
            border.Add(plane[x]);
            border.Add(plane[(height - 1) * width + x]);
        }

        for (var y = 1; y < height - 1; y++)
        {
            border.Add(plane[y * width]);
            border.Add(plane[y * width + width - 1]);
        }

        border.Sort();
        return border[border.Count / 2];
    }

    private static (float X, float Y) CentreOfMass(float[] digit, int width, int height)
    {
        double mass = 0, sumX = 0, sumY = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = digit[y * width + x];
                mass += v;
                sumX += v * (x + 0.5);
                sumY += v * (y + 0.5);
            }
        }

        return mass > 0 ? ((float)(sumX / mass), (float)(sumY / mass)) : (width / 2f, height / 2f);
    }
}
