using ConvService.Api.Images;
using ConvService.Api.Images.Png;
using ConvService.Api.Tests.Support;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Images;

/// <summary>
/// A plain PNG read straight into a model's resampler, row by row, against decoding it to planes and preprocessing
/// those: the same tensor to the bit; and the files that path leaves to others (alpha to the lean reader's planes,
/// anything irregular to ImageSharp).
/// </summary>
public sealed class PngResamplingTests
{
    private static readonly ImageCodec Codec = FilteredSamples.Codec();

    private static readonly ImagePreprocessor Model = ImageModels.ImageNetStyle("BGR");

    /// <summary>The sample photo, ImageSharp choosing each row's filter, in RGB and in gray.</summary>
    [Theory]
    [InlineData(PngColorType.Rgb)]
    [InlineData(PngColorType.Grayscale)]
    public async Task APngGoesStraightIntoTheResamplerWithThePlanesTensor(PngColorType colorType)
    {
        var bytes = Photo(colorType);
        using var planes = await Codec.DecodeRentedAsync(bytes, CancellationToken.None);
        var expected = Model.PrepareImage(planes.Values.Span, planes.Width, planes.Height, planes.Channels).Tensor.ToArray();

        // The lean reader itself: through DecodeForModelAsync, ImageSharp would resample a declined file as well.
        using var upload = LeanReader(bytes, Model);

        Assert.NotNull(upload?.Rows);
        Assert.Equal(expected, upload.Prepare(Model).Tensor);
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("idat-crc")]
    [InlineData("filter-type-5-late")]
    [InlineData("stream-too-short")]
    [InlineData("stream-too-long")]
    [InlineData("checksum")]
    [InlineData("palette")]
    public void FilesWithAlphaGoToPlanesAndIrregularOnesToImageSharp(string kind)
    {
        const int width = 256, height = 300;
        var raw = GrayRows(width, height);
        var compressed = PngChunks.Zlib(raw);
        var bytes = kind switch
        {
            "alpha" => Photo(PngColorType.RgbWithAlpha),
            "idat-crc" => Flip(PngChunks.File(PngChunks.Header(width, height), ("IDAT", compressed)), ^13),
            "filter-type-5-late" => PngChunks.File(PngChunks.Header(width, height), ("IDAT", PngChunks.Zlib(WithFilter(raw, width, row: 290, filter: 5)))),
            "stream-too-short" => PngChunks.File(PngChunks.Header(width, height), ("IDAT", PngChunks.Zlib(raw[..^1]))),
            "stream-too-long" => PngChunks.File(PngChunks.Header(width, height), ("IDAT", PngChunks.Zlib([.. raw, 0]))),
            "checksum" => PngChunks.File(PngChunks.Header(width, height), ("IDAT", Flip((byte[])compressed.Clone(), ^1))),
            _ => Photo(PngColorType.Palette),
        };

        using var intact = LeanReader(PngChunks.File(PngChunks.Header(width, height), ("IDAT", compressed)), Model);
        Assert.NotNull(intact?.Rows);

        using var upload = LeanReader(bytes, Model);
        if (kind == "alpha")
        {
            Assert.NotNull(upload?.Planes);
            Assert.Null(upload.Rows);
        }
        else
        {
            Assert.Null(upload);
        }
    }

    [Fact]
    public void AModelThatNeedsPlanesIsLeftToThem()
    {
        var gray = new ImagePreprocessor(ImageModels.Descriptor(1, new PreprocessingDescriptor()));

        using var upload = LeanReader(Photo(PngColorType.Rgb), gray);

        Assert.NotNull(upload?.Planes);
        Assert.Null(upload.Rows);
    }

    [Fact]
    public void CancellationPropagates()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // From the lean reader itself, which must not take a cancellation for an irregular file and decline.
        Assert.ThrowsAny<OperationCanceledException>(() => PngPlanes.TryDecodeForModel(Photo(PngColorType.Rgb), (_, _) => { }, Model.BeginRows, cancelled.Token));
    }

    /// <summary>The lean reader alone: null where it leaves the file to ImageSharp.</summary>
    private static ModelUpload? LeanReader(byte[] bytes, ImagePreprocessor model) =>
        PngPlanes.TryDecodeForModel(bytes, (_, _) => { }, model.BeginRows, CancellationToken.None);

    private static byte[] Photo(PngColorType colorType)
    {
        using var photo = Image.Load<Rgba32>(TestImages.Sample("chelsea.png"));
        photo[3, 4] = new Rgba32(1, 2, 3, 77);
        using var stream = new MemoryStream();
        photo.Save(stream, new PngEncoder { ColorType = colorType, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Adaptive });
        return stream.ToArray();
    }

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

    private static byte[] Flip(byte[] bytes, Index at)
    {
        bytes[at] ^= 0x40;
        return bytes;
    }
}
