using ConvService.Api.Images;
using ConvService.Api.Infrastructure;
using ConvService.Inference.Errors;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;
using Microsoft.Extensions.Options;

namespace ConvService.Fuzz.Targets;

/// <summary>
/// Image intake as the filter endpoints run it (format detection, header and frame checks, then ImageSharp's
/// decode) and as the model endpoints run it (the service's own reader for plain PNGs, ImageSharp for the rest,
/// into planes or, for an opaque image, straight into a model's resampler),
/// with the service's default limits but a tenth of its pixels. A refusal is a <see cref="ConvServiceException"/>;
/// anything else that escapes would be a 500.
/// </summary>
/// <remarks>
/// A lossless WebP of one colour codes its pixels in zero bits, so a few dozen honest bytes can declare the full
/// 40 megapixels, whose decode takes seconds under instrumentation: AFL cannot tell that from a hang, and a hang
/// takes SharpFuzz's in-process fork server down. At 4 megapixels every accepted input decodes well inside the
/// timeout, so what is left to find is work out of proportion to the pixels, which is what the checks bound.
/// </remarks>
internal static class ImageIntakeTarget
{
    /// <summary>Pixels the harness accepts: a tenth of the service's default.</summary>
    public const long MaxImagePixels = 4_000_000;

    private static readonly ImageCodec Codec = new(
        Options.Create(new LimitsOptions { MaxImagePixels = MaxImagePixels }), Options.Create(new ImageOptions()));

    /// <summary>A 224x224 RGB model with a shorter-side resize, which opaque images are read straight into.</summary>
    private static readonly ImagePreprocessor Model = new(new ModelDescriptor
    {
        Name = "fuzz",
        Input = new InputDescriptor { Name = "input", Channels = 3, Height = 224, Width = 224 },
        Preprocessing = new PreprocessingDescriptor { Resize = ResizeModes.ShorterSide },
    });

    public static void Run(byte[] bytes)
    {
        try
        {
            // Colour and gray take different conversions after the decode.
            Codec.Decode(bytes, gray: (bytes.Length & 1) == 1);
        }
        catch (ConvServiceException)
        {
        }

        try
        {
            using var upload = Codec.DecodeForModelAsync(bytes, Model, CancellationToken.None).GetAwaiter().GetResult();
            Model.Return(upload.Prepare(Model).Tensor);
        }
        catch (ConvServiceException)
        {
        }
    }
}
