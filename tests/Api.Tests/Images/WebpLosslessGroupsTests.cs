using System.Net;
using ConvService.Api.Images;
using ConvService.Api.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvService.Api.Tests.Images;

/// <summary>Counting a lossless WebP's Huffman groups before ImageSharp allocates their tables.</summary>
public sealed class WebpLosslessGroupsTests
{
    private static readonly string Finding = Path.Combine(AppContext.BaseDirectory, "FuzzFindings", "image-webp-lossless-huffman-groups-878mb.webp");

    /// <summary>Lossless files ImageSharp itself writes, at every method: small and flat, and a photo that needs an entropy image.</summary>
    public static TheoryData<string, int> Encoded() => new()
    {
        { "coffee.png", 0 }, { "coffee.png", 4 }, { "coffee.png", 6 }, { "grass.png", 6 }, { "chelsea.png", 5 }, { "gradient", 4 },
    };

    [Theory]
    [MemberData(nameof(Encoded))]
    public void HonestFilesAreReadAndFitTheirBitstream(string source, int method)
    {
        var webp = Lossless(source, method);

        var groups = Assert.Single(WebpLosslessGroups.InFile(webp));

        Assert.True(groups.Count >= 1);
        Assert.True(groups.FitInBitstream, $"{groups.Count} groups, {groups.BitsLeft} bits left");
    }

    [Fact]
    public void SomeHonestFileUsesMoreThanOneGroup()
    {
        // Otherwise the entropy image reading above would be untested.
        var counts = Encoded().Select(row => Assert.Single(WebpLosslessGroups.InFile(Lossless((string)row[0], (int)row[1]))).Count).ToList();

        Assert.Contains(counts, count => count > 1);
    }

    [Fact]
    public void TheFuzzedFileNamesMoreGroupsThanItsBytesCanHold()
    {
        var bytes = File.ReadAllBytes(Finding);

        var groups = Assert.Single(WebpLosslessGroups.InFile(bytes));

        Assert.False(groups.FitInBitstream);
        Assert.True(groups.TableBytes > 500L << 20, $"{groups.Count} groups, {groups.TableBytes:N0} bytes of tables");
    }

    [Fact]
    public void TruncatedHeadersAreLeftToTheDecoder()
    {
        var webp = Lossless("coffee.png", 6);
        for (var length = 21; length < 40; length++)
        {
            // No exception escapes; whatever is read, the decoder still judges the file.
            _ = WebpLosslessGroups.InFile(webp[..length]).ToList();
        }

        Assert.Empty(WebpLosslessGroups.InFile(webp[..20]));
    }

    private static byte[] Lossless(string source, int method)
    {
        using var image = source == "gradient"
            ? new Image<Rgba32>(300, 200)
            : Image.Load<Rgba32>(TestImages.Sample(source));
        if (source == "gradient")
        {
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (var x = 0; x < row.Length; x++)
                    {
                        row[x] = new Rgba32((byte)x, (byte)y, (byte)(x ^ y), (byte)(255 - (y / 4)));
                    }
                }
            });
        }
        else
        {
            image.Mutate(x => x.Resize(Math.Min(image.Width, 400), 0));
        }

        using var stream = new MemoryStream();
        image.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless, Method = (WebpEncodingMethod)method });
        return stream.ToArray();
    }
}
