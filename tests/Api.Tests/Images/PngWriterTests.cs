using ConvService.Api.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Images;

/// <summary>What ImageSharp decodes from PngWriter's files equals the pixels written, for every filter and odd size.</summary>
public sealed class PngWriterTests
{
    public static TheoryData<int, PngFilter?> ChannelsAndFilters()
    {
        var data = new TheoryData<int, PngFilter?>();
        foreach (var channels in new[] { 1, 3, 4 })
        {
            data.Add(channels, null);
            foreach (var filter in Enum.GetValues<PngFilter>())
            {
                data.Add(channels, filter);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ChannelsAndFilters))]
    public void DecodesToThePixelsWrittenAtEveryOddSize(int channels, PngFilter? filter)
    {
        var rng = new Random(15 + channels);
        for (var width = 1; width <= 70; width++)
        {
            for (var height = 1; height <= 5; height++)
            {
                foreach (var flat in new[] { false, true })
                {
                    var pixels = new byte[width * height * channels];
                    if (flat)
                    {
                        Array.Fill(pixels, (byte)rng.Next(256));
                    }
                    else
                    {
                        rng.NextBytes(pixels);
                    }

                    var png = PngWriter.Write(pixels, width, height, channels, 1, filter);
                    Assert.Equal(pixels, DecodeWithImageSharp(png, channels));
                }
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(9)]
    public void EveryCompressionLevelRoundTrips(int level)
    {
        var pixels = SmoothPixels(200, 30, 3, seed: level);
        var png = PngWriter.Write(pixels, 200, 30, 3, level);
        Assert.Equal(pixels, DecodeWithImageSharp(png, 3));
    }

    [Fact]
    public void SmoothImagesChooseMoreThanOneFilter()
    {
        // A gradient favours Sub or Up over None; the adaptive choice must not be stuck on one filter.
        var pixels = SmoothPixels(97, 40, 3, seed: 7);
        var png = PngWriter.Write(pixels, 97, 40, 3, 1);
        var adaptive = png.Length;
        var none = PngWriter.Write(pixels, 97, 40, 3, 1, PngFilter.None).Length;
        Assert.True(adaptive < none, $"adaptive {adaptive} bytes, None only {none}");
    }

    [Fact]
    public void RejectsAChannelCountPngRowsDoNotHave() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Write(new byte[8], 4, 1, 2, 1));

    internal static byte[] DecodeWithImageSharp(byte[] png, int channels)
    {
        using var image = Image.Load<Rgba32>(png);
        var bytes = new byte[image.Width * image.Height * channels];
        var at = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                ReadOnlySpan<byte> all = [p.R, p.G, p.B, p.A];
                all[..channels].CopyTo(bytes.AsSpan(at));
                at += channels;
            }
        }

        return bytes;
    }

    private static byte[] SmoothPixels(int width, int height, int channels, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[width * height * channels];
        for (var i = 0; i < pixels.Length; i++)
        {
            var x = i / channels % width;
            var y = i / channels / width;
            pixels[i] = (byte)((x * 2) + (y * 3) + rng.Next(3));
        }

        return pixels;
    }
}
