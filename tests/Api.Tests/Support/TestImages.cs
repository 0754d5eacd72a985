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
    public static byte[] PngClaimingSize(int width, int height) =>
        PngChunks.File(PngChunks.Header(width, height, colorType: 2), ("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));

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
}
