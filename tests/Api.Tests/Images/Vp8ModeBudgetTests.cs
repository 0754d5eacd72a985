using System.Net;
using ConvService.Api.Images;
using ConvService.Api.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Images;

/// <summary>A lossy WebP whose first partition is too short for its macroblocks' modes is refused before its decode.</summary>
public sealed class Vp8ModeBudgetTests
{
    [Theory]
    [InlineData("image-webp-lossy-modes-128-bytes-7426x2934.webp", "7426x2934", "85,560 macroblocks", "10,695 bytes", "holds 22")]
    [InlineData("image-webp-lossy-modes-168-bytes-4103x8248.webp", "4103x8248", "132,612 macroblocks", "16,577 bytes", "holds")]
    public async Task TheFuzzedLossyFilesAreRefusedNamingTheMacroblocks(string file, string size, string macroblocks, string needed, string holds)
    {
        var webp = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "FuzzFindings", file));
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/api/filter", Forms.With(webp, "tiny.webp", ("kernel", "box")));

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(size, detail);
        Assert.Contains(macroblocks, detail);
        Assert.Contains(needed, detail);
        Assert.Contains(holds, detail);
    }

    [Fact]
    public async Task LibwebpsMostCompressibleFrameIsWithinTheBudget()
    {
        // One flat colour at quality 0 and the slowest method: libwebp 1.2.4's smallest honest output, 8,980 bytes.
        var webp = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "ImageFiles", "flat-2048x2048-cwebp-1.2.4-q0-m6.webp"));
        var frame = Assert.Single(Vp8ModeBudget.Read(webp));
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/api/filter", Forms.With(webp, "flat.webp", ("kernel", "box"), ("format", "jpeg")));

        Assert.Equal((2048, 2048, 16_384L), (frame.Width, frame.Height, frame.Macroblocks));
        Assert.True(frame.PartitionBytes >= 3 * frame.NeededBytes, $"{frame.PartitionBytes} bytes of modes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImageSharpsLossyFramesAreWithinTheBudget(bool noise)
    {
        using var image = new Image<Rgb24>(1024, 768, new Rgb24(40, 80, 120));
        if (noise)
        {
            var random = new Random(7);
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    foreach (ref var pixel in rows.GetRowSpan(y))
                    {
                        pixel = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                    }
                }
            });
        }

        using var stream = new MemoryStream();
        image.SaveAsWebp(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 0 });

        var frame = Assert.Single(Vp8ModeBudget.Read(stream.ToArray()));
        Assert.Equal(64L * 48, frame.Macroblocks);
        Assert.True(frame.Honest, $"{frame.PartitionBytes} bytes for {frame.Macroblocks} macroblocks");
    }

    [Theory]
    [InlineData(16_384, 2_048, true)]
    [InlineData(16_384, 2_047, false)]
    [InlineData(16_385, 2_049, true)]
    [InlineData(16_385, 2_048, false)]
    public void TheBudgetIsOneBitAMacroblock(long macroblocks, long partitionBytes, bool honest)
    {
        Assert.Equal(honest, new Vp8ModeBudget.Frame(1, 1, macroblocks, partitionBytes).Honest);
    }

    [Fact]
    public void ThePartitionIsWhatTheFileHoldsNotWhatItsTagClaims()
    {
        // A frame tag claiming a 100,000-byte first partition in a file that ends after 40 bytes of it.
        var webp = new byte[12 + 8 + 10 + 40];
        "RIFF"u8.CopyTo(webp);
        "WEBPVP8 "u8.CopyTo(webp.AsSpan(8));
        var tag = 100_000 << 5 | 0x10;
        (webp[20], webp[21], webp[22]) = ((byte)tag, (byte)(tag >> 8), (byte)(tag >> 16));
        (webp[23], webp[24], webp[25]) = (0x9d, 0x01, 0x2a);
        (webp[26], webp[27], webp[28], webp[29]) = (0x00, 0x04, 0x00, 0x04);

        var frame = Assert.Single(Vp8ModeBudget.Read(webp));

        Assert.Equal((1024, 1024, 4_096L, 40L), (frame.Width, frame.Height, frame.Macroblocks, frame.PartitionBytes));
        Assert.False(frame.Honest);
    }
}
