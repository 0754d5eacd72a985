using System.Buffers.Binary;
using ConvService.Api.Images;
using ConvService.Api.Images.Png;
using ConvService.Api.Infrastructure;
using ConvService.Api.Tests.Support;
using ConvService.Inference.Errors;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvService.Api.Tests.Images;

/// <summary>
/// The lean PNG reader against ImageSharp: every file it reads gives ImageSharp's planes exactly, the files it does
/// not take (and the irregular ones) are left to ImageSharp, and the codec answers the same either way.
/// </summary>
public sealed class PngPlanesTests
{
    private static readonly ImageCodec Codec = FilteredSamples.Codec();

    /// <summary>The reader's size check when the test is not about limits.</summary>
    private static readonly Action<int, int> AnySize = (_, _) => { };

    /// <summary>Colour type and bytes per pixel: gray, RGB, gray and alpha, RGBA.</summary>
    public static TheoryData<byte, int, int, int> HandBuilt()
    {
        var data = new TheoryData<byte, int, int, int>();
        foreach (var (colorType, width, height) in new (byte, int, int)[] { (0, 1, 1), (0, 37, 9), (2, 1, 5), (2, 33, 17), (4, 2, 3), (4, 29, 8), (6, 1, 1), (6, 31, 12) })
        {
            data.Add(colorType, width, height, 1);
            data.Add(colorType, width, height, 5);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HandBuilt))]
    public void EveryFilterAndIdatSplitReadsAsImageSharpDoes(byte colorType, int width, int height, int idatChunks)
    {
        var random = new Random((colorType * 1000) + (width * 10) + idatChunks);
        var bpp = colorType switch { 0 => 1, 2 => 3, 4 => 2, _ => 4 };
        var pixels = new byte[height * width * bpp];
        random.NextBytes(pixels);
        if (colorType is 4 or 6 && width > 1)
        {
            // Mostly opaque, with a translucent run, so both the plane count and the alpha values are checked.
            for (var i = bpp - 1; i < pixels.Length; i += bpp)
            {
                pixels[i] = i % 7 == 0 ? (byte)(i % 251) : byte.MaxValue;
            }
        }

        var bytes = Encode(pixels, width, height, colorType, row => (byte)(row % 5), idatChunks, random);

        using var lean = PngPlanes.Decode(bytes, AnySize, CancellationToken.None);
        Assert.NotNull(lean);
        var (channels, expected) = Planes(pixels, width, height, colorType);
        Assert.Equal((width, height, channels, "PNG"), (lean.Width, lean.Height, lean.Channels, lean.Format));
        Assert.Equal(expected, lean.Values.ToArray());
        if (idatChunks == 1)
        {
            var imageSharp = Codec.Decode(bytes, gray: false);
            Assert.Equal(channels, imageSharp.Planes.Channels);
            Assert.Equal(expected, imageSharp.Planes.Data);
        }
    }

    /// <summary>
    /// A legal file ImageSharp 2.1 cannot read: its zlib stream cut into one-byte IDAT chunks (it fails with an index
    /// out of range). The reader gives the pixel; it does not have to match ImageSharp where ImageSharp is wrong.
    /// </summary>
    [Fact]
    public void OneByteIdatChunksAreReadThoughImageSharpFailsOnThem()
    {
        var compressed = PngChunks.Zlib([0, 200]);
        var bytes = PngChunks.File(PngChunks.Header(1, 1), [.. compressed.Select(b => ("IDAT", new[] { b }))]);

        using var lean = PngPlanes.Decode(bytes, AnySize, CancellationToken.None);

        Assert.Equal([200f, 200f, 200f], lean!.Values.ToArray());
        Assert.Throws<ConvServiceException>(() => Codec.Decode(bytes, gray: false));
    }

    [Fact]
    public void AnOpaqueAlphaImageGivesThreePlanesAndATranslucentOneFour()
    {
        var opaque = Encode([.. Enumerable.Repeat((byte)255, 2 * 6 * 4)], 6, 4, colorType: 4, _ => 4, 1, new Random(1));
        var translucent = (byte[])Enumerable.Repeat((byte)255, 2 * 6 * 4).ToArray();
        translucent[^1] = 254;

        using var three = PngPlanes.Decode(opaque, AnySize, CancellationToken.None);
        using var four = PngPlanes.Decode(Encode(translucent, 6, 4, colorType: 4, _ => 4, 1, new Random(1)), AnySize, CancellationToken.None);

        Assert.Equal(3, three!.Channels);
        Assert.Equal(4, four!.Channels);
        Assert.Equal(254f, four.Values.Span[^1]);
    }

    [Theory]
    [InlineData(PngColorType.Grayscale)]
    [InlineData(PngColorType.Rgb)]
    [InlineData(PngColorType.RgbWithAlpha)]
    [InlineData(PngColorType.GrayscaleWithAlpha)]
    public async Task ImageSharpsOwnEncodingsOfASamplePhotoReadAlike(PngColorType colorType)
    {
        using var photo = Image.Load<Rgba32>(TestImages.Sample("chelsea.png"));
        photo.Mutate(x => x.Crop(new Rectangle(100, 50, 120, 90)));
        photo[3, 4] = new Rgba32(1, 2, 3, 77);
        using var stream = new MemoryStream();
        photo.Save(stream, new PngEncoder { ColorType = colorType, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Adaptive });
        var bytes = stream.ToArray();

        using var lean = PngPlanes.Decode(bytes, AnySize, CancellationToken.None);
        using var rented = await Codec.DecodeRentedAsync(bytes, CancellationToken.None);
        var expected = Codec.Decode(bytes, gray: false);

        Assert.NotNull(lean);
        Assert.Equal(expected.Planes.Data, lean.Values.ToArray());
        Assert.Equal(expected.Planes.Data, rented.Values.ToArray());
        Assert.Equal(expected.Planes.Channels, rented.Channels);
    }

    [Theory]
    [InlineData("palette")]
    [InlineData("sixteen-bit")]
    [InlineData("interlaced")]
    [InlineData("transparency-chunk")]
    [InlineData("four-bit-gray")]
    public async Task FilesTheReaderDoesNotTakeGoToImageSharp(string kind)
    {
        var bytes = kind switch
        {
            "palette" => Saved(new PngEncoder { ColorType = PngColorType.Palette }),
            "sixteen-bit" => Saved(new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 }),
            "interlaced" => Saved(new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, InterlaceMethod = PngInterlaceMode.Adam7 }),
            "transparency-chunk" => PngChunks.File(PngChunks.Header(5, 4), ("tRNS", [0, 128]), ("IDAT", PngChunks.GrayPixels(5, 4, 128))),
            _ => PngChunks.File(PngChunks.Header(8, 4, bitDepth: 4), ("IDAT", PngChunks.GrayPixels(4, 4, 0x5A))),
        };

        Assert.Null(PngPlanes.Decode(bytes, AnySize, CancellationToken.None));
        using var rented = await Codec.DecodeRentedAsync(bytes, CancellationToken.None);
        var expected = Codec.Decode(bytes, gray: false);
        Assert.Equal(expected.Planes.Channels, rented.Channels);
        Assert.Equal(expected.Planes.Data, rented.Values.ToArray());
    }

    [Theory]
    [InlineData("crc")]
    [InlineData("bytes-after-iend")]
    [InlineData("filter-type-5")]
    [InlineData("stream-too-short")]
    [InlineData("stream-too-long")]
    [InlineData("unknown-critical-chunk")]
    [InlineData("two-idat-runs")]
    [InlineData("empty-idat-chunk")]
    public void IrregularFilesAreNotReadHere(string kind)
    {
        var raw = new byte[4 * (1 + 6)];
        raw[7] = 1;
        var bytes = kind switch
        {
            "crc" => Flip(PngChunks.File(PngChunks.Header(6, 4), ("IDAT", PngChunks.Zlib(raw))), ^5),
            "bytes-after-iend" => [.. PngChunks.File(PngChunks.Header(6, 4), ("IDAT", PngChunks.Zlib(raw))), 0],
            "filter-type-5" => PngChunks.File(PngChunks.Header(6, 4), ("IDAT", PngChunks.Zlib([.. raw[..7], 5, .. raw[8..]]))),
            "stream-too-short" => PngChunks.File(PngChunks.Header(6, 4), ("IDAT", PngChunks.Zlib(raw[..^1]))),
            "stream-too-long" => PngChunks.File(PngChunks.Header(6, 4), ("IDAT", PngChunks.Zlib([.. raw, 0]))),
            "unknown-critical-chunk" => PngChunks.File(PngChunks.Header(6, 4), ("ABCD", [1]), ("IDAT", PngChunks.Zlib(raw))),
            "two-idat-runs" => PngChunks.File(PngChunks.Header(6, 4), ("IDAT", PngChunks.Zlib(raw)[..5]), ("tEXt", [65, 0, 66]), ("IDAT", PngChunks.Zlib(raw)[5..])),
            _ => PngChunks.File(PngChunks.Header(6, 4), ("IDAT", PngChunks.Zlib(raw)[..5]), ("IDAT", []), ("IDAT", PngChunks.Zlib(raw)[5..])),
        };

        Assert.Null(PngPlanes.TryDecode(bytes, AnySize, CancellationToken.None));
    }

    [Fact]
    public void IgnorableChunksAroundTheImageDoNotStopTheReader()
    {
        var raw = new byte[3 * (1 + 4)];
        var bytes = PngChunks.File(
            PngChunks.Header(4, 3),
            ("gAMA", [0, 0, 0x7A, 0x12]),
            ("sRGB", [0]),
            ("pHYs", new byte[9]),
            ("IDAT", PngChunks.Zlib(raw)),
            ("tEXt", [65, 0, 66]));

        using var lean = PngPlanes.Decode(bytes, AnySize, CancellationToken.None);

        Assert.NotNull(lean);
        Assert.Equal(Codec.Decode(bytes, gray: false).Planes.Data, lean.Values.ToArray());
    }

    [Fact]
    public async Task TheSizeCheckSeesTheHeaderBeforeAnythingIsRead()
    {
        var codec = new ImageCodec(Options.Create(new LimitsOptions { MaxImagePixels = 100 }), Options.Create(new ImageOptions()));
        var bytes = Encode(new byte[20 * 20], 20, 20, 0, _ => 0, 1, new Random(2));

        var error = await Assert.ThrowsAsync<ConvServiceException>(() => codec.DecodeRentedAsync(bytes, CancellationToken.None));

        Assert.Equal(ErrorKind.OverLimit, error.Kind);
    }

    /// <summary>
    /// Seeded mutants of a small photo crop, with each chunk's CRC mended after the change so most reach the
    /// inflater and the unfilter: whenever the reader gives planes, ImageSharp must read the same file to the same
    /// planes; otherwise the reader declines (null) or reports a malformed stream, never anything else.
    /// </summary>
    [Fact]
    public void MutantsAreEitherReadAsImageSharpReadsThemOrDeclined()
    {
        using var photo = Image.Load<Rgba32>(TestImages.Sample("chelsea.png"));
        photo.Mutate(x => x.Crop(new Rectangle(200, 100, 24, 16)));
        using var stream = new MemoryStream();
        photo.Save(stream, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Adaptive, CompressionLevel = PngCompressionLevel.BestSpeed });
        var original = stream.ToArray();
        var random = new Random(15);
        int read = 0, declined = 0;
        for (var i = 0; i < 2000; i++)
        {
            var mutant = (byte[])original.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                mutant[random.Next(8, mutant.Length)] = (byte)random.Next(256);
            }

            if (i % 10 == 0)
            {
                mutant = mutant[..random.Next(8, mutant.Length)];
            }

            MendCrcs(mutant);
            RentedPlanes? lean;
            try
            {
                lean = PngPlanes.Decode(mutant, AnySize, CancellationToken.None);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                declined++;
                continue;
            }

            using (lean)
            {
                if (lean is null)
                {
                    declined++;
                    continue;
                }

                var expected = Codec.Decode(mutant, gray: false);
                Assert.Equal(expected.Planes.Channels, lean.Channels);
                Assert.Equal(expected.Planes.Data, lean.Values.ToArray());
                read++;
            }
        }

        // Both outcomes must occur, or the mutants did not reach the part of the reader they are meant to test.
        Assert.InRange(read, 50, 1950);
        Assert.InRange(declined, 50, 1950);
    }

    /// <summary>Every filter on random rows of every pixel size and of lengths around the vector widths, against the specification's predictor.</summary>
    [Fact]
    public void UnfilteringMatchesTheSpecificationsPredictor()
    {
        var random = new Random(7);
        foreach (var bpp in new[] { 1, 2, 3, 4, 6, 8 })
        {
            foreach (var pixels in new[] { 1, 2, 5, 11, 16, 33, 64, 129 })
            {
                var length = bpp * pixels;
                var prior = new byte[length];
                var row = new byte[length];
                random.NextBytes(prior);
                random.NextBytes(row);
                for (byte filter = 0; filter <= 4; filter++)
                {
                    var expected = (byte[])row.Clone();
                    var actual = (byte[])row.Clone();
                    PngUnfilter.ApplyScalar(filter, expected, prior, bpp);
                    Assert.True(PngUnfilter.Apply(filter, actual, prior, bpp));
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"filter {filter}, {bpp} bytes a pixel, {pixels} pixels");
                }
            }
        }

        Assert.False(PngUnfilter.Apply(5, new byte[3], new byte[3], 3));
    }

    /// <summary>Rows filtered with PngRowFilters (filter per row chosen by <paramref name="filterOf"/>), deflated and cut into IDAT chunks.</summary>
    private static byte[] Encode(byte[] pixels, int width, int height, byte colorType, Func<int, byte> filterOf, int idatChunks, Random random)
    {
        var bpp = pixels.Length / (width * height);
        var raw = new byte[height * (1 + (width * bpp))];
        var prior = new byte[width * bpp];
        for (var y = 0; y < height; y++)
        {
            var row = pixels.AsSpan(y * width * bpp, width * bpp);
            var filter = filterOf(y);
            raw[y * (1 + (width * bpp))] = filter;
            PngRowFilters.ApplyScalar((PngFilter)filter, row, prior, bpp, raw.AsSpan((y * (1 + (width * bpp))) + 1, width * bpp));
            row.CopyTo(prior);
        }

        var compressed = PngChunks.Zlib(raw);
        // Distinct cuts: every chunk holds at least a byte (an empty one is declined, see IrregularFilesAreNotReadHere).
        var cuts = Enumerable.Range(1, compressed.Length - 1).OrderBy(_ => random.Next()).Take(idatChunks - 1).Order().ToList();
        cuts.Insert(0, 0);
        cuts.Add(compressed.Length);
        var chunks = cuts.Zip(cuts.Skip(1), (from, to) => ("IDAT", compressed[from..to])).ToArray();
        return PngChunks.File(PngChunks.Header(width, height, 8, colorType), chunks);
    }

    /// <summary>The planes ImageSharp's Rgba32 would give, straight from the pixel bytes: gray fills R, G and B; alpha is kept when any pixel is translucent.</summary>
    private static (int Channels, float[] Values) Planes(byte[] pixels, int width, int height, byte colorType)
    {
        var bpp = pixels.Length / (width * height);
        var alpha = colorType is 4 or 6;
        var channels = alpha && Enumerable.Range(0, width * height).Any(p => pixels[(p * bpp) + bpp - 1] != 255) ? 4 : 3;
        var values = new float[channels * width * height];
        for (var p = 0; p < width * height; p++)
        {
            for (var c = 0; c < channels; c++)
            {
                var source = c == 3 ? bpp - 1 : colorType is 0 or 4 ? 0 : c;
                values[(c * width * height) + p] = pixels[(p * bpp) + source];
            }
        }

        return (channels, values);
    }

    private static byte[] Saved(PngEncoder encoder)
    {
        using var image = new Image<Rgba32>(9, 7);
        for (var y = 0; y < 7; y++)
        {
            for (var x = 0; x < 9; x++)
            {
                image[x, y] = new Rgba32((byte)(x * 28), (byte)(y * 36), (byte)(x * y), 255);
            }
        }

        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static byte[] Flip(byte[] bytes, Index at)
    {
        bytes[at] ^= 0x40;
        return bytes;
    }

    /// <summary>Rewrites the CRC of every whole chunk, so a mutation inside a chunk is not caught by its CRC alone.</summary>
    private static void MendCrcs(byte[] file)
    {
        for (var at = 8; at + 12 <= file.Length;)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            if (length > file.Length - at - 12)
            {
                return;
            }

            var end = at + 8 + (int)length;
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(end), PngCrc.Append(0, file.AsSpan(at + 4, 4 + (int)length)));
            at = end + 4;
        }
    }
}
