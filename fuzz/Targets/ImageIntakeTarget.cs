using ConvService.Api.Images;
using ConvService.Api.Infrastructure;
using ConvService.Inference.Errors;
using Microsoft.Extensions.Options;

namespace ConvService.Fuzz.Targets;

/// <summary>
/// Image intake as the filter endpoints run it: format detection, header and frame checks, then the decode with
/// the service's default limits. A refusal is a <see cref="ConvServiceException"/>; anything else that escapes
/// would be a 500.
/// </summary>
internal static class ImageIntakeTarget
{
    private static readonly ImageCodec Codec = new(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));

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
    }
}
