using System.Buffers;

namespace ConvService.Inference.Serving.Preprocessing;

/// <summary>
/// Separable resampling of one plane with a triangle (bilinear) filter widened by the scale factor when shrinking,
/// so a 140 px drawing shrunk to 20 px averages every pixel instead of sampling a few (no aliasing).
/// </summary>
public static class Resampler
{
    /// <summary>Resamples the <paramref name="srcWidth"/> x <paramref name="srcHeight"/> region at (left, top) of a plane to the destination size.</summary>
    public static float[] Resize(ReadOnlySpan<float> plane, int planeWidth, float left, float top, float srcWidth, float srcHeight, int dstWidth, int dstHeight)
    {
        var result = new float[dstWidth * dstHeight];
        Resize(plane, planeWidth, left, top, srcWidth, srcHeight, dstWidth, dstHeight, result);
        return result;
    }

    /// <summary>As above, into <paramref name="destination"/> (dstWidth x dstHeight floats), so a request's tensor is written in place.</summary>
    public static void Resize(ReadOnlySpan<float> plane, int planeWidth, float left, float top, float srcWidth, float srcHeight, int dstWidth, int dstHeight, Span<float> destination)
    {
        var horizontal = Weights(left, srcWidth, dstWidth, planeWidth);
        var vertical = Weights(top, srcHeight, dstHeight, plane.Length / planeWidth);
        var planeHeight = plane.Length / planeWidth;
        destination = destination[..(dstWidth * dstHeight)];
        destination.Clear();

        // Rows first into an intermediate of planeHeight x dstWidth, then columns. The intermediate is pooled: at
        // photo sizes it would be a fresh large-object array per plane, and touching new pages costs more than the
        // arithmetic.
        var rows = ArrayPool<float>.Shared.Rent(planeHeight * dstWidth);
        try
        {
            // Only the rows the vertical filter reads.
            int firstRow = vertical[0].Start, endRow = vertical[^1].Start + vertical[^1].Weights.Length;
            for (var y = firstRow; y < endRow; y++)
            {
                var source = plane.Slice(y * planeWidth, planeWidth);
                var row = rows.AsSpan(y * dstWidth, dstWidth);
                for (var x = 0; x < row.Length; x++)
                {
                    var (start, w) = horizontal[x];
                    var taps = source.Slice(start, w.Length);
                    var sum = 0f;
                    for (var k = 0; k < taps.Length; k++)
                    {
                        sum += taps[k] * w[k];
                    }

                    row[x] = sum;
                }
            }

            for (var y = 0; y < dstHeight; y++)
            {
                var (start, w) = vertical[y];
                var target = destination.Slice(y * dstWidth, dstWidth);
                for (var k = 0; k < w.Length; k++)
                {
                    Training.VectorMath.AddScaled(target, w[k], rows.AsSpan((start + k) * dstWidth, dstWidth));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rows);
        }
    }

    /// <summary>For each destination index: the first source index and the normalised filter weights (clamped to the plane).</summary>
    private static (int Start, float[] Weights)[] Weights(float origin, float srcLength, int dstLength, int planeLength)
    {
        var scale = srcLength / dstLength;
        var support = Math.Max(1f, scale);
        var result = new (int, float[])[dstLength];
        for (var i = 0; i < dstLength; i++)
        {
            var center = origin + (i + 0.5f) * scale;
            var first = Math.Max(0, (int)MathF.Floor(center - support));
            var last = Math.Min(planeLength - 1, (int)MathF.Ceiling(center + support));
            var weights = new float[last - first + 1];
            var total = 0f;
            for (var j = first; j <= last; j++)
            {
                var w = Math.Max(0f, 1f - MathF.Abs((j + 0.5f - center) / support));
                weights[j - first] = w;
                total += w;
            }

            if (total <= 0)
            {
                // The region lies outside the plane: take the nearest edge pixel.
                first = Math.Clamp((int)center, 0, planeLength - 1);
                weights = [1f];
            }
            else
            {
                for (var j = 0; j < weights.Length; j++)
                {
                    weights[j] /= total;
                }
            }

            result[i] = (first, weights);
        }

        return result;
    }
}
