using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Models;

/// <summary>
/// The preprocessing steps docs/models.md gives, written again from that text in double precision with plain loops,
/// so the served answers can be checked against ONNX Runtime without reusing the service's own resampler.
/// </summary>
public static class DocumentedPreprocessing
{
    /// <summary>R, G and B planes of 0..255, translucent pixels laid on white paper.</summary>
    public static double[][] RgbPlanes(byte[] file, out int width, out int height)
    {
        using var image = Image.Load<Rgba32>(file);
        int w = image.Width, h = image.Height;
        var planes = new[] { new double[w * h], new double[w * h], new double[w * h] };
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var p = image[x, y];
                var alpha = p.A / 255.0;
                planes[0][y * w + x] = p.R * alpha + 255 * (1 - alpha);
                planes[1][y * w + x] = p.G * alpha + 255 * (1 - alpha);
                planes[2][y * w + x] = p.B * alpha + 255 * (1 - alpha);
            }
        }

        width = w;
        height = h;
        return planes;
    }

    /// <summary>resize "shorter-side" with crop: the shorter side to <paramref name="size"/>, the centre square kept, as an RGB [3, size, size] tensor.</summary>
    public static float[] ShorterSideCentreCrop(byte[] file, int size)
    {
        var planes = RgbPlanes(file, out var width, out var height);
        var scale = (double)size / Math.Min(width, height);
        var region = size / scale;
        var tensor = new float[3 * size * size];
        for (var c = 0; c < 3; c++)
        {
            var resized = Resample(planes[c], width, height, (width - region) / 2, (height - region) / 2, region, region, size, size);
            for (var i = 0; i < resized.Length; i++)
            {
                tensor[c * size * size + i] = (float)resized[i];
            }
        }

        return tensor;
    }

    /// <summary>resize "fit-digit": MNIST framing into 28 x 28, values 0..1, as a [1, 28, 28] tensor.</summary>
    public static float[] FitDigit(byte[] file)
    {
        const int Frame = 28, Box = 20;
        var rgb = RgbPlanes(file, out var width, out var height);
        var gray = new double[width * height];
        for (var i = 0; i < gray.Length; i++)
        {
            gray[i] = 0.299 * rgb[0][i] + 0.587 * rgb[1][i] + 0.114 * rgb[2][i];
        }

        // Light paper is inverted so the ink is light on dark, as MNIST stores digits.
        if (BorderMedian(gray, width, height) > 127.5)
        {
            for (var i = 0; i < gray.Length; i++)
            {
                gray[i] = 255 - gray[i];
            }
        }

        var background = BorderMedian(gray, width, height);
        var threshold = background + 0.25 * (gray.Max() - background);
        int left = width, right = -1, top = height, bottom = -1;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (gray[y * width + x] > threshold)
                {
                    (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
                }
            }
        }

        int boxWidth = right - left + 1, boxHeight = bottom - top + 1;
        var factor = (double)Box / Math.Max(boxWidth, boxHeight);
        var digitWidth = Math.Clamp((int)Math.Round(boxWidth * factor), 1, Box);
        var digitHeight = Math.Clamp((int)Math.Round(boxHeight * factor), 1, Box);
        var lifted = gray.Select(v => Math.Max(0, v - background)).ToArray();
        var digit = Resample(lifted, width, height, left, top, boxWidth, boxHeight, digitWidth, digitHeight);

        double mass = 0, massX = 0, massY = 0;
        for (var y = 0; y < digitHeight; y++)
        {
            for (var x = 0; x < digitWidth; x++)
            {
                var v = digit[y * digitWidth + x];
                mass += v;
                massX += v * (x + 0.5);
                massY += v * (y + 0.5);
            }
        }

        var offsetX = Math.Clamp((int)Math.Round(Frame / 2.0 - massX / mass), 0, Frame - digitWidth);
        var offsetY = Math.Clamp((int)Math.Round(Frame / 2.0 - massY / mass), 0, Frame - digitHeight);
        var tensor = new float[Frame * Frame];
        for (var y = 0; y < digitHeight; y++)
        {
            for (var x = 0; x < digitWidth; x++)
            {
                tensor[(offsetY + y) * Frame + offsetX + x] = (float)(digit[y * digitWidth + x] / 255);
            }
        }

        return tensor;
    }

    /// <summary>The median of the outermost ring of pixels (the element at index count / 2 of the sorted ring).</summary>
    private static double BorderMedian(double[] plane, int width, int height)
    {
        var ring = new List<double>();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (y == 0 || y == height - 1 || x == 0 || x == width - 1)
                {
                    ring.Add(plane[y * width + x]);
                }
            }
        }

        ring.Sort();
        return ring[ring.Count / 2];
    }

    /// <summary>
    /// The documented triangle filter: output pixel i samples the source around origin + (i + 0.5) * step, with a tent
    /// of half-width max(1, step) over source pixel centres (j + 0.5), clamped to the plane and normalised; rows, then
    /// columns.
    /// </summary>
    private static double[] Resample(double[] plane, int width, int height, double left, double top, double regionWidth, double regionHeight, int outWidth, int outHeight)
    {
        var result = new double[outWidth * outHeight];
        for (var oy = 0; oy < outHeight; oy++)
        {
            var rowTaps = Tent(top, regionHeight / outHeight, oy, height);
            for (var ox = 0; ox < outWidth; ox++)
            {
                var columnTaps = Tent(left, regionWidth / outWidth, ox, width);
                double sum = 0;
                foreach (var (sy, wy) in rowTaps)
                {
                    foreach (var (sx, wx) in columnTaps)
                    {
                        sum += plane[sy * width + sx] * wy * wx;
                    }
                }

                result[oy * outWidth + ox] = sum;
            }
        }

        return result;
    }

    private static List<(int Index, double Weight)> Tent(double origin, double step, int i, int length)
    {
        var centre = origin + (i + 0.5) * step;
        var halfWidth = Math.Max(1, step);
        var taps = new List<(int, double)>();
        double total = 0;
        for (var j = Math.Max(0, (int)Math.Floor(centre - halfWidth)); j <= Math.Min(length - 1, (int)Math.Ceiling(centre + halfWidth)); j++)
        {
            var w = Math.Max(0, 1 - Math.Abs((j + 0.5 - centre) / halfWidth));
            if (w > 0)
            {
                taps.Add((j, w));
                total += w;
            }
        }

        return taps.Select(t => (t.Item1, t.Item2 / total)).ToList();
    }
}
