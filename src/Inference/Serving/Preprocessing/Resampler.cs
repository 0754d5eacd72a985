using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Serving.Preprocessing;

/// <summary>
/// Separable resampling of one plane with a triangle (bilinear) filter widened by the scale factor when shrinking,
/// so a 140 px drawing shrunk to 20 px averages every pixel instead of sampling a few (no aliasing). Each output
/// row is made from the source rows its vertical filter reads, summed down a vector at a time (<see cref="Down"/>),
/// then resampled across (<see cref="Across"/>): columns first, so only the output's rows are resampled across,
/// not every source row. <see cref="RowResampler"/> does the same, to the bit, on rows a decoder hands over.
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
        var planeHeight = plane.Length / planeWidth;
        var horizontal = Uniform(Weights(left, srcWidth, dstWidth, planeWidth), planeWidth);
        var vertical = Weights(top, srcHeight, dstHeight, planeHeight);
        var (first, end) = Span(horizontal);
        var column = ArrayPool<float>.Shared.Rent(planeWidth);
        try
        {
            var sum = column.AsSpan(0, planeWidth);
            for (var y = 0; y < dstHeight; y++)
            {
                var (start, w) = vertical[y];
                sum[first..end].Clear();
                for (var k = 0; k < w.Length; k++)
                {
                    Down(sum, w[k], plane.Slice((start + k) * planeWidth, planeWidth), first, end);
                }

                Across(sum, horizontal, destination.Slice(y * dstWidth, dstWidth));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(column);
        }
    }

    /// <summary>
    /// Adds one source row times its vertical weight to the running sums, in columns first to end (those the
    /// horizontal filter reads); multiply, then add, as the plain sum does, so the bits do not depend on the vectors.
    /// </summary>
    internal static void Down(Span<float> sum, float weight, ReadOnlySpan<float> row, int first, int end) =>
        Training.VectorMath.AddScaled(sum[first..end], weight, row[first..end]);

    /// <summary>One row resampled across: each output is its taps' weighted sum, added in order from zero.</summary>
    internal static void Across(ReadOnlySpan<float> source, Taps[] horizontal, Span<float> row)
    {
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

    /// <summary>
    /// As <see cref="Across"/> on a row of RGB pixels (red, green, blue, then alpha when <paramref name="stride"/> is
    /// 4, which is not read), each colour into its own row: each colour's sum is added in the same order as on its
    /// own plane, so the bits are the same, and the three sums of a pixel share its filter and run side by side. Any
    /// level but Scalar takes a pixel per Vector128.
    /// </summary>
    internal static void AcrossPixels(ReadOnlySpan<float> source, int stride, Taps[] horizontal, Span<float> red, Span<float> green, Span<float> blue, SimdLevel level)
    {
        if (stride is not (3 or 4) || green.Length != red.Length || blue.Length != red.Length || horizontal.Length < red.Length)
        {
            throw new ArgumentException("Pixels of 3 or 4 values, three output rows of one length, a filter for each output.");
        }

        var x = 0;
        if (level != SimdLevel.Scalar)
        {
            // Every wider level has Vector128; a CPU without it is told so rather than run scalar under its name.
            SimdCapabilities.Require(SimdLevel.Vector128);
            // A pixel's values (and, in RGB rows, the next pixel's first) in one vector: one multiply and one add per
            // tap for all three colours, lane by lane as the scalar sums. The fourth lane is not kept; in RGB rows its
            // read stays inside the row until the last pixel, which the scalar loop below takes.
            for (; x < red.Length; x++)
            {
                var (start, w) = horizontal[x];
                if ((stride * (start + w.Length - 1)) + 4 > source.Length)
                {
                    break;
                }

                var sum = Vector128<float>.Zero;
                for (var k = 0; k < w.Length; k++)
                {
                    sum += Vector128.Create(source.Slice(stride * (start + k), 4)) * Vector128.Create(w[k]);
                }

                red[x] = sum.GetElement(0);
                green[x] = sum.GetElement(1);
                blue[x] = sum.GetElement(2);
            }
        }

        for (; x < red.Length; x++)
        {
            var (start, w) = horizontal[x];
            var taps = source.Slice(stride * start, stride * w.Length);
            float r = 0f, g = 0f, b = 0f;
            for (var k = 0; k < w.Length; k++)
            {
                var weight = w[k];
                r += taps[stride * k] * weight;
                g += taps[(stride * k) + 1] * weight;
                b += taps[(stride * k) + 2] * weight;
            }

            red[x] = r;
            green[x] = g;
            blue[x] = b;
        }
    }

    /// <summary>Bytes to the floats of the same values, a vector at a time.</summary>
    internal static void Widen(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        values = values[..bytes.Length];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var step = Vector<byte>.Count;
            var quarter = Vector<float>.Count;
            for (; i <= bytes.Length - step; i += step)
            {
                Vector.Widen(new Vector<byte>(bytes[i..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                Vector.ConvertToSingle(a).CopyTo(values[i..]);
                Vector.ConvertToSingle(b).CopyTo(values[(i + quarter)..]);
                Vector.ConvertToSingle(c).CopyTo(values[(i + (2 * quarter))..]);
                Vector.ConvertToSingle(d).CopyTo(values[(i + (3 * quarter))..]);
            }
        }

        for (; i < bytes.Length; i++)
        {
            values[i] = bytes[i];
        }
    }

    /// <summary>The source indices the filters read, first to end.</summary>
    internal static (int First, int End) Span(Taps[] taps)
    {
        int first = int.MaxValue, end = 0;
        foreach (var (start, w) in taps)
        {
            first = Math.Min(first, start);
            end = Math.Max(end, start + w.Length);
        }

        return (first, end);
    }

    /// <summary>For each destination index: the first source index and the normalised filter weights (clamped to the plane).</summary>
    internal static Taps[] Weights(float origin, float srcLength, int dstLength, int planeLength)
    {
        var scale = srcLength / dstLength;
        var support = Math.Max(1f, scale);
        var result = new Taps[dstLength];
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

            result[i] = new Taps(first, weights);
        }

        return result;
    }

    /// <summary>
    /// The same filters, each as long as the longest: zero weights added before or after, reading pixels inside the
    /// plane. A zero term leaves a sum of finite pixels as it was, so the results are the same to the bit, and the
    /// loop over one output's taps then runs the same number of times for every output (a varying count was a
    /// mispredicted branch per output, more than the arithmetic).
    /// </summary>
    internal static Taps[] Uniform(Taps[] taps, int planeLength)
    {
        var length = 0;
        foreach (var t in taps)
        {
            length = Math.Max(length, t.Weights.Length);
        }

        var result = new Taps[taps.Length];
        for (var i = 0; i < taps.Length; i++)
        {
            var (start, w) = taps[i];
            var padded = new float[length];
            var shifted = Math.Min(start, planeLength - length);
            w.CopyTo(padded, start - shifted);
            result[i] = new Taps(shifted, padded);
        }

        return result;
    }

    /// <summary>One output's filter: the first source index it reads and a weight per source index from there.</summary>
    internal readonly record struct Taps(int Start, float[] Weights);
}
