using System.IO.Compression;
using ConvService.Api.Images;
using ConvService.Api.Images.Deflate;
using ConvService.Api.Infrastructure;
using ConvService.Api.Tests.Support;
using ConvService.Inference.Filters;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Tests.Images.Deflate;

/// <summary>The fast levels' per-image choice: the greedy deflater for a gray texture, zlib-ng for a photo, both exact.</summary>
public sealed class FastDeflateTests
{
    [Theory]
    [InlineData("grass.png", true)]
    [InlineData("gravel.png", true)]
    [InlineData("coffee.png", false)]
    [InlineData("chelsea.png", false)]
    public void ChoosesTheDeflaterThatWritesLessForSobelX(string sample, bool greedy)
    {
        var input = SobelX(sample);
        Assert.Equal(greedy, FastDeflate.GreedyWritesLess(input));

        // The choice holds for the whole image, not only the sample it was taken from.
        var greedySize = Compress(input, GreedyDeflater.Compress).Length;
        var zlibSize = Compress(input, (data, output, _) =>
        {
            using var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = FastDeflate.ZLibLevel }, leaveOpen: true);
            zlib.Write(data);
        }).Length;
        Assert.Equal(greedy, greedySize < zlibSize);
    }

    [Theory]
    [InlineData("grass.png")]
    [InlineData("coffee.png")]
    public void InflatesToTheInputWhicheverItChooses(string sample)
    {
        var input = SobelX(sample);
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(Compress(input, FastDeflate.Compress)), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        Assert.Equal(input, inflated.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5000)]
    [InlineData(60_000)]
    public void ShortInputIsSampledWholeAndTheSmallerStreamWritten(int pixels)
    {
        // Shorter than the four sampled stretches: the sample is all of it, so the output is the smaller of the two.
        var rng = new Random(pixels);
        var input = Enumerable.Range(0, pixels).SelectMany(_ => { var v = (byte)(rng.Next(3) == 0 ? rng.Next(1, 9) : 0); return new[] { v, v, v }; }).ToArray();
        var greedySize = Compress(input, GreedyDeflater.Compress).Length;
        var zlibSize = Compress(input, (data, output, _) =>
        {
            using var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = FastDeflate.ZLibLevel }, leaveOpen: true);
            zlib.Write(data);
        }).Length;
        Assert.Equal(Math.Min(greedySize, zlibSize), Compress(input, FastDeflate.Compress).Length);
    }

    private delegate void Compressor(ReadOnlySpan<byte> data, Stream output, CancellationToken cancellationToken);

    private static byte[] Compress(byte[] data, Compressor compress)
    {
        using var output = new MemoryStream();
        compress(data, output, CancellationToken.None);
        return output.ToArray();
    }

    private static byte[] SobelX(string sample)
    {
        var codec = new ImageCodec(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));
        var decoded = codec.Decode(TestImages.Sample(sample), gray: false);
        return PixelBytes.Interleave(ImageFilter.Apply(decoded.Planes, KernelCatalog.Create("sobel-x", null, null, 31), new FilterSettings()), 1f, 0f);
    }
}
