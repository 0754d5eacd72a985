using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Support;

/// <summary>Real encoded images for upload tests: the repository's sample photos and small synthetic ones.</summary>
public static class TestImages
{
    public static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", name));

    /// <summary>A PNG whose pixel at (x, y) is (x * 10 + y) in every channel, so results can be computed by hand.</summary>
    public static byte[] GradientPng(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = (byte)((x * 10 + y) % 256);
                image[x, y] = new Rgb24(v, (byte)(255 - v), (byte)(v / 2));
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    public static byte[] AnimatedGif(int frames)
    {
        using var image = new Image<Rgba32>(8, 8, new Rgba32(10, 20, 30));
        for (var i = 1; i < frames; i++)
        {
            using var frame = new Image<Rgba32>(8, 8, new Rgba32((byte)(i * 20), 0, 0));
            image.Frames.AddFrame(frame.Frames.RootFrame);
        }

        using var stream = new MemoryStream();
        image.SaveAsGif(stream, new GifEncoder());
        return stream.ToArray();
    }

    /// <summary>
    /// A valid PNG header claiming <paramref name="width"/> x <paramref name="height"/> pixels, followed by a tiny
    /// IDAT: decoding it would need gigabytes, identifying it needs nothing.
    /// </summary>
    public static byte[] PngClaimingSize(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        WriteChunk(stream, "IHDR", ihdr);
        WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    public static byte[] Bmp()
    {
        using var image = new Image<Rgb24>(4, 4);
        using var stream = new MemoryStream();
        image.SaveAsBmp(stream);
        return stream.ToArray();
    }

    public static byte[] Tiff()
    {
        using var image = new Image<Rgb24>(4, 4);
        using var stream = new MemoryStream();
        image.SaveAsTiff(stream);
        return stream.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        Span<byte> sum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, Crc32([.. typeBytes, .. data]));
        stream.Write(sum);
    }

    /// <summary>PNG's CRC-32 (ISO 3309), bit by bit: only a few tiny chunks are written.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
