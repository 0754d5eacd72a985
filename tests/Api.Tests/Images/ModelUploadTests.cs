using ConvService.Api.Images;
using ConvService.Api.Tests.Support;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Images;

/// <summary>
/// What the model endpoints make of an upload: the tensor must be the one preprocessing the decoded planes gives,
/// to the bit, whichever way the upload went (straight into the resampler, or planes first).
/// </summary>
public sealed class ModelUploadTests
{
    private static readonly ImageCodec Codec = FilteredSamples.Codec();

    private static readonly ImagePreprocessor Colour = ImageModels.ImageNetStyle("RGB");

    public static TheoryData<string, bool> Files() => new()
    {
        // file, straight into the resampler
        { "jpeg", true },
        { "gif", true },
        { "rgb-png", true },
        { "gray-png", true },
        { "opaque-rgba-png", false },
        { "translucent-rgba-png", false },
        { "translucent-gif", false },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task EveryWayGivesThePlanesTensor(string kind, bool resampled)
    {
        var bytes = kind switch
        {
            "jpeg" => Photo(new JpegEncoder { Quality = 90 }),
            "gif" => Photo(new GifEncoder()),
            "rgb-png" => Photo(new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 }),
            "gray-png" => Photo(new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 }),
            "opaque-rgba-png" => Photo(new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8 }),
            "translucent-rgba-png" => Photo(new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8 }, translucent: true),
            _ => Photo(new GifEncoder(), translucent: true),
        };
        using var planes = await Codec.DecodeRentedAsync(bytes, CancellationToken.None);
        var expected = Colour.PrepareImage(planes.Values.Span, planes.Width, planes.Height, planes.Channels).Tensor.ToArray();

        using var upload = await Codec.DecodeForModelAsync(bytes, Colour, CancellationToken.None);

        Assert.Equal(resampled, upload.Rows is not null);
        Assert.Equal(!resampled, upload.Planes is not null);
        Assert.Equal(expected, upload.Prepare(Colour).Tensor);
    }

    [Fact]
    public async Task AModelThatNeedsPlanesGetsThem()
    {
        var gray = new ImagePreprocessor(ImageModels.Descriptor(1, new PreprocessingDescriptor { Resize = ResizeModes.Stretch }));

        using var upload = await Codec.DecodeForModelAsync(Photo(new JpegEncoder()), gray, CancellationToken.None);

        Assert.Null(upload.Rows);
        Assert.NotNull(upload.Planes);
    }

    private static byte[] Photo(IImageEncoder encoder, bool translucent = false)
    {
        using var photo = Image.Load<Rgba32>(TestImages.Sample("chelsea.png"));
        if (translucent)
        {
            photo[3, 4] = new Rgba32(1, 2, 3, 0);
        }

        using var stream = new MemoryStream();
        photo.Save(stream, encoder);
        return stream.ToArray();
    }
}
