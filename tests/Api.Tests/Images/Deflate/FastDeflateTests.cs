using ConvService.Api.Images;
using ConvService.Api.Images.Deflate;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Images.Deflate;

/// <summary>The fast levels' per-image choice of deflater, taken on a sample, holds for the whole image; every choice is exact.</summary>
public sealed class FastDeflateTests
{
    [Theory]
    [InlineData("grass.png", "sobel-x", FastDeflater.Greedy)]
    [InlineData("gravel.png", "sobel-x", FastDeflater.Greedy)]
    [InlineData("coffee.png", "sobel-x", FastDeflater.ZLibRunLength)]
    [InlineData("chelsea.png", "sobel-x", FastDeflater.ZLibRunLength)]
    [InlineData("brick.png", "box", FastDeflater.ZLib)]
    public void ChoosesTheDeflaterThatWritesLeastForTheWholeImage(string sample, string kernel, FastDeflater expected)
    {
        var input = Filtered(sample, kernel);
        Assert.Equal(expected, FastDeflate.Choose(input));

        // The sample's choice is the whole image's smallest too.
        var sizes = Enum.GetValues<FastDeflater>().ToDictionary(d => d, d => Compress(input, d).Length);
        Assert.Equal(sizes.Values.Min(), sizes[expected]);
    }

    [Theory]
    [InlineData("grass.png")]
    [InlineData("coffee.png")]
    public void InflatesToTheInputWithEveryDeflater(string sample)
    {
        var input = Filtered(sample, "sobel-x");
        foreach (var deflater in Enum.GetValues<FastDeflater>())
        {
            Assert.Equal(input, FilteredSamples.Inflate(Compress(input, deflater)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5000)]
    [InlineData(60_000)]
    public void ShortInputIsSampledWholeAndTheSmallestStreamWritten(int pixels)
    {
        // Shorter than the four sampled stretches: the sample is all of it, so the output is the smallest of the three.
        var rng = new Random(pixels);
        var input = Enumerable.Range(0, pixels).SelectMany(_ => { var v = (byte)(rng.Next(3) == 0 ? rng.Next(1, 9) : 0); return new[] { v, v, v }; }).ToArray();
        var smallest = Enum.GetValues<FastDeflater>().Min(d => Compress(input, d).Length);
        using var output = new MemoryStream();
        FastDeflate.Compress(input, output);
        Assert.Equal(smallest, output.Length);
    }

    private static byte[] Compress(byte[] data, FastDeflater deflater)
    {
        using var output = new MemoryStream();
        FastDeflate.Compress(deflater, data, output);
        return output.ToArray();
    }

    /// <summary>The filtered image's bytes as PngWriter deflates them: each row after its adaptive filter's byte.</summary>
    private static byte[] Filtered(string sample, string kernel)
    {
        var image = FilteredSamples.Filter(sample, kernel);
        return PngWriter.FilterRows(PixelBytes.Interleave(image, 1f, 0f), image.Width, image.Height, image.Channels);
    }
}
