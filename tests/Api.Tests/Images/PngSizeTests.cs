using ConvService.Api.Images;
using ConvService.Api.Tests.Support;
using Xunit.Abstractions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Images;

/// <summary>Filtered sample photos: exact round trip, and file sizes against ImageSharp's fastest level.</summary>
public sealed class PngSizeTests(ITestOutputHelper output)
{
    /// <summary>At most a tenth larger than ImageSharp's fastest level on the same pixels, for every sample and kernel.</summary>
    private const double AllowedRatio = 1.10;

    public static TheoryData<string, string> SamplesAndKernels()
    {
        var data = new TheoryData<string, string>();
        foreach (var sample in new[] { "brick.png", "chelsea.png", "coffee.png", "grass.png", "gravel.png" })
        {
            // Sobel-x of the two gray textures (three equal bytes a pixel, mostly zeros and small values) is where
            // zlib-ng's fast level, blind to three-byte matches, wrote 1.3x ImageSharp's size (docs/performance.md).
            data.Add(sample, "sobel-x");
            data.Add(sample, "box");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SamplesAndKernels))]
    public void FilteredSampleIsExactAndNoLargerThanAllowedAgainstImageSharpsFastest(string sample, string kernelName)
    {
        var codec = FilteredSamples.Codec();
        var filtered = FilteredSamples.Filter(sample, kernelName);
        var pixels = PixelBytes.Interleave(filtered, 1f, 0f);

        var ours = codec.Encode(filtered, ImageOutputFormat.Png);
        Assert.Equal(pixels, PngWriterTests.DecodeWithImageSharp(ours, filtered.Channels));

        var imageSharp = ImageSharpFastest(pixels, filtered.Width, filtered.Height, filtered.Channels);
        output.WriteLine($"{sample} {kernelName}: ours {ours.Length} bytes, ImageSharp BestSpeed {imageSharp} ({ours.Length / (double)imageSharp:F2})");
        Assert.True(
            ours.Length <= imageSharp * AllowedRatio,
            $"{sample} {kernelName}: {ours.Length} bytes against ImageSharp's {imageSharp} ({ours.Length / (double)imageSharp:P1})");
    }

    private static long ImageSharpFastest(byte[] pixels, int width, int height, int channels)
    {
        using var output = new MemoryStream();
        var encoder = new PngEncoder
        {
            CompressionLevel = PngCompressionLevel.BestSpeed,
            ColorType = channels switch { 1 => PngColorType.Grayscale, 4 => PngColorType.RgbWithAlpha, _ => PngColorType.Rgb },
            BitDepth = PngBitDepth.Bit8,
        };
        if (channels == 3)
        {
            using var image = Image.LoadPixelData<Rgb24>(pixels, width, height);
            image.Save(output, encoder);
        }
        else
        {
            using var image = Image.LoadPixelData<Rgba32>(pixels, width, height);
            image.Save(output, encoder);
        }

        return output.Length;
    }
}
