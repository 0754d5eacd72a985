using ConvService.Api.Images;
using ConvService.Api.Images.Png;
using ConvService.Api.Tests.Support;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvService.Api.Tests.Images;

/// <summary>
/// The PNG reader on two cores (one inflating, one unfiltering) against one core and ImageSharp, and straight into
/// a model's resampler against decoding to planes first: the same values to the bit, the same files declined.
/// Every image here is large enough for the two-core path (<see cref="PngRowPipeline.WorthItBytes"/>).
/// </summary>
public sealed class PngRowPipelineTests
{
    private static readonly ImageCodec Codec = FilteredSamples.Codec();

    private static readonly Action<int, int> AnySize = (_, _) => { };

    /// <summary>The sample photo in each colour type, ImageSharp choosing each row's filter; ten runs each, as the helper joins at a different row each time.</summary>
    [Theory]
    [InlineData(PngColorType.Rgb)]
    [InlineData(PngColorType.RgbWithAlpha)]
    [InlineData(PngColorType.Grayscale)]
    [InlineData(PngColorType.GrayscaleWithAlpha)]
    public void TwoCoresGiveTheOneCorePlanes(PngColorType colorType)
    {
        var bytes = Photo(colorType);
        var expected = Codec.Decode(bytes, gray: false).Planes;
        using var one = PngPlanes.Decode(bytes, AnySize, CancellationToken.None, workers: 1);
        Assert.Equal(expected.Data, one!.Values.ToArray());

        for (var run = 0; run < 10; run++)
        {
            using var two = PngPlanes.Decode(bytes, AnySize, CancellationToken.None, workers: 2);
            Assert.NotNull(two);
            Assert.Equal(expected.Channels, two.Channels);
            Assert.Equal(expected.Data, two.Values.ToArray());
        }
    }

    /// <summary>Irregular files, the faults placed where only the two-core path's helper sees them (the IDAT CRCs, a late row), declined on either path.</summary>
    [Theory]
    [InlineData("idat-crc")]
    [InlineData("middle-idat-crc")]
    [InlineData("filter-type-5-late")]
    [InlineData("stream-too-short")]
    [InlineData("stream-too-long")]
    [InlineData("checksum")]
    public void IrregularFilesAreDeclinedOnBothPaths(string kind)
    {
        const int width = 256, height = 300;
        var raw = GrayRows(width, height);
        var compressed = PngChunks.Zlib(raw);
        var third = compressed.Length / 3;
        var bytes = kind switch
        {
            "idat-crc" => Flip(PngChunks.File(PngChunks.Header(width, height), ("IDAT", compressed)), ^13),
            "middle-idat-crc" => FlipMiddleCrc(width, height, compressed, third),
            "filter-type-5-late" => PngChunks.File(PngChunks.Header(width, height), ("IDAT", PngChunks.Zlib(WithFilter(raw, width, row: 290, filter: 5)))),
            "stream-too-short" => PngChunks.File(PngChunks.Header(width, height), ("IDAT", PngChunks.Zlib(raw[..^1]))),
            "stream-too-long" => PngChunks.File(PngChunks.Header(width, height), ("IDAT", PngChunks.Zlib([.. raw, 0]))),
            _ => PngChunks.File(PngChunks.Header(width, height), ("IDAT", Flip((byte[])compressed.Clone(), ^1))),
        };

        using var intact = PngPlanes.Decode(PngChunks.File(PngChunks.Header(width, height), ("IDAT", compressed)), AnySize, CancellationToken.None, workers: 2);
        Assert.NotNull(intact);
        Assert.Null(PngPlanes.TryDecode(bytes, AnySize, CancellationToken.None, workers: 1));
        Assert.Null(PngPlanes.TryDecode(bytes, AnySize, CancellationToken.None, workers: 2));
    }

    [Fact]
    public void CancellationStopsBothCores()
    {
        var bytes = Photo(PngColorType.Rgb);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => PngPlanes.TryDecode(bytes, AnySize, cancelled.Token, workers: 2));
        using var after = PngPlanes.Decode(bytes, AnySize, CancellationToken.None, workers: 2);
        Assert.NotNull(after);
    }

    /// <summary>
    /// A gray or RGB PNG read straight into the model's resampler, on one core and on two, gives the tensor of the
    /// planes path; a file with alpha, and a model that needs planes, are left to it.
    /// </summary>
    [Theory]
    [InlineData(PngColorType.Rgb, 1)]
    [InlineData(PngColorType.Rgb, 2)]
    [InlineData(PngColorType.Grayscale, 1)]
    [InlineData(PngColorType.Grayscale, 2)]
    public async Task PngsGoStraightIntoTheResamplerWithThePlanesTensor(PngColorType colorType, int workers)
    {
        var bytes = Photo(colorType);
        var preprocessor = new ImagePreprocessor(Descriptor(3, new PreprocessingDescriptor
        {
            Resize = ResizeModes.ShorterSide,
            Scale = 1f / 255f,
            Mean = [0.485f, 0.456f, 0.406f],
            Std = [0.229f, 0.224f, 0.225f],
            ChannelOrder = "BGR",
        }));

        using var planes = await Codec.DecodeRentedAsync(bytes, CancellationToken.None);
        var expected = preprocessor.PrepareImage(planes.Values.Span, planes.Width, planes.Height, planes.Channels).Tensor.ToArray();
        using var rows = Codec.TryDecodeResampled(bytes, preprocessor, CancellationToken.None, workers);

        Assert.NotNull(rows);
        Assert.Equal(expected, rows.Finish().Tensor);
        Assert.Null(Codec.TryDecodeResampled(Photo(PngColorType.RgbWithAlpha), preprocessor, CancellationToken.None, workers));
        Assert.Null(Codec.TryDecodeResampled(bytes, new ImagePreprocessor(Descriptor(1, new PreprocessingDescriptor())), CancellationToken.None, workers));
    }

    /// <summary>Seeded mutants of a photo crop large enough for two cores (CRCs mended): two cores read each exactly as one core does, or both decline.</summary>
    [Fact]
    public void MutantsReadOnTwoCoresAsOnOne()
    {
        using var photo = Image.Load<Rgba32>(TestImages.Sample("chelsea.png"));
        photo.Mutate(x => x.Crop(new Rectangle(100, 80, 200, 120)));
        using var stream = new MemoryStream();
        photo.Save(stream, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Adaptive, CompressionLevel = PngCompressionLevel.BestSpeed });
        var original = stream.ToArray();
        Assert.True(((3 * 200) + 1) * 120 >= PngRowPipeline.WorthItBytes);
        var random = new Random(21);
        int read = 0, declined = 0;
        for (var i = 0; i < 200; i++)
        {
            var mutant = (byte[])original.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                mutant[random.Next(33, mutant.Length - 12)] = (byte)random.Next(256);
            }

            MendCrcs(mutant);
            using var one = PngPlanes.TryDecode(mutant, AnySize, CancellationToken.None, workers: 1);
            using var two = PngPlanes.TryDecode(mutant, AnySize, CancellationToken.None, workers: 2);
            Assert.Equal(one is null, two is null);
            if (one is not null)
            {
                Assert.Equal(one.Values.ToArray(), two!.Values.ToArray());
                read++;
            }
            else
            {
                declined++;
            }
        }

        Assert.InRange(read, 1, 199);
        Assert.InRange(declined, 1, 199);
    }

    private static byte[] Photo(PngColorType colorType)
    {
        using var photo = Image.Load<Rgba32>(TestImages.Sample("chelsea.png"));
        photo[3, 4] = new Rgba32(1, 2, 3, 77);
        using var stream = new MemoryStream();
        photo.Save(stream, new PngEncoder { ColorType = colorType, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Adaptive });
        return stream.ToArray();
    }

    private static ModelDescriptor Descriptor(int channels, PreprocessingDescriptor preprocessing) => new()
    {
        Name = "m",
        Input = new InputDescriptor { Name = "input", Channels = channels, Height = 224, Width = 224 },
        Preprocessing = preprocessing,
    };

    /// <summary>Rows of seeded gray noise, every filter type in turn (the bytes are taken as already filtered).</summary>
    private static byte[] GrayRows(int width, int height)
    {
        var raw = new byte[height * (width + 1)];
        new Random(9).NextBytes(raw);
        for (var y = 0; y < height; y++)
        {
            raw[y * (width + 1)] = (byte)(y % 5);
        }

        return raw;
    }

    private static byte[] WithFilter(byte[] raw, int width, int row, byte filter)
    {
        var changed = (byte[])raw.Clone();
        changed[row * (width + 1)] = filter;
        return changed;
    }

    /// <summary>The stream in three IDAT chunks, the middle one's CRC wrong.</summary>
    private static byte[] FlipMiddleCrc(int width, int height, byte[] compressed, int third)
    {
        var file = PngChunks.File(PngChunks.Header(width, height), ("IDAT", compressed[..third]), ("IDAT", compressed[third..(2 * third)]), ("IDAT", compressed[(2 * third)..]));
        var middleCrc = 8 + 25 + (12 + third) + 8 + third;
        file[middleCrc] ^= 0x40;
        return file;
    }

    private static byte[] Flip(byte[] bytes, Index at)
    {
        bytes[at] ^= 0x40;
        return bytes;
    }

    private static void MendCrcs(byte[] file)
    {
        for (var at = 8; at + 12 <= file.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            if (length > file.Length - at - 12)
            {
                return;
            }

            var end = at + 8 + (int)length;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(end), PngCrc.Append(0, file.AsSpan(at + 4, 4 + (int)length)));
            at = end + 4;
        }
    }
}
