using System.Buffers;
using System.Numerics;
using ConvService.Inference.Filters;

namespace ConvService.Api.Images;

/// <summary>
/// Float planes to interleaved 8-bit pixels: each value becomes clamp(round(value * scale + offset), 0, 255), halves
/// to even as <see cref="MathF.Round(float)"/>, NaN to 0.
/// </summary>
public static class PixelBytes
{
    /// <summary>Interleaves the planes of <paramref name="image"/> into rows of width * channels bytes.</summary>
    public static byte[] Interleave(FloatImage image, float scale, float offset, CancellationToken cancellationToken = default)
    {
        int width = image.Width, height = image.Height, channels = image.Channels, plane = image.PlaneSize;
        var pixels = new byte[checked(plane * channels)];
        if (channels == 1)
        {
            Convert(image.Data.AsSpan(0, plane), scale, offset, pixels);
            return pixels;
        }

        var row = ArrayPool<byte>.Shared.Rent(width);
        try
        {
            for (var c = 0; c < channels; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var y = 0; y < height; y++)
                {
                    var bytes = row.AsSpan(0, width);
                    Convert(image.Data.AsSpan((c * plane) + (y * width), width), scale, offset, bytes);
                    var target = pixels.AsSpan((y * width * channels) + c);
                    for (var x = 0; x < width; x++)
                    {
                        target[x * channels] = bytes[x];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(row);
        }

        return pixels;
    }

    /// <summary>Converts <paramref name="values"/> into <paramref name="bytes"/> of the same length.</summary>
    public static void Convert(ReadOnlySpan<float> values, float scale, float offset, Span<byte> bytes)
    {
        var block = Vector<byte>.Count;
        var quarter = Vector<float>.Count;
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= block)
        {
            var scales = new Vector<float>(scale);
            var offsets = new Vector<float>(offset);
            while (true)
            {
                // The last block overlaps the one before rather than reading past the end.
                i = Math.Min(i, values.Length - block);
                var low = Vector.Narrow(
                    ToInt(new Vector<float>(values[i..]), scales, offsets),
                    ToInt(new Vector<float>(values[(i + quarter)..]), scales, offsets));
                var high = Vector.Narrow(
                    ToInt(new Vector<float>(values[(i + (2 * quarter))..]), scales, offsets),
                    ToInt(new Vector<float>(values[(i + (3 * quarter))..]), scales, offsets));
                Vector.Narrow(low.As<short, ushort>(), high.As<short, ushort>())
                    .CopyTo(bytes[i..]);
                i += block;
                if (i >= values.Length)
                {
                    return;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            bytes[i] = ToByte((values[i] * scale) + offset);
        }
    }

    /// <summary>The scalar conversion, the reference for the vector one.</summary>
    public static byte ToByte(float value) =>
        float.IsNaN(value) ? (byte)0 : (byte)Math.Clamp(MathF.Round(value), 0f, 255f);

    private static Vector<int> ToInt(Vector<float> value, Vector<float> scales, Vector<float> offsets)
    {
        var v = (value * scales) + offsets;

        // NaN fails v == v; clamping first keeps the conversion in range, rounding is to even as MathF.Round.
        v = Vector.ConditionalSelect(Vector.Equals(v, v), v, Vector<float>.Zero);
        v = Vector.Min(Vector.Max(v, Vector<float>.Zero), new Vector<float>(255f));
        return Vector.ConvertToInt32(Vector.Round(v));
    }
}
