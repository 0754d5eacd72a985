using ConvService.Inference.Errors;

namespace ConvService.Api.Images;

/// <summary>
/// The most pixels a GIF of a given size can hold. LZW codes are at most 12 bits and one code stands for at most
/// 4,096 pixels (its dictionary's size), so each byte of a GIF carries at most 8 / 12 x 4,096 = 2,730 pixels.
/// ImageSharp decodes the whole logical screen, filling what the file does not hold; a 45-byte GIF found by
/// fuzzing declared 6412x4882 (31 million pixels, 690,000 a byte) and cost a 31-megapixel decode.
/// </summary>
public static class GifPixelBound
{
    public const int MaxPixelsPerByte = 4096 * 8 / 12;

    public static void Check(int width, int height, int fileBytes)
    {
        var pixels = (long)width * height;
        var most = (long)fileBytes * MaxPixelsPerByte;
        if (pixels > most)
        {
            throw ConvServiceException.DoesNotFit(
                "GIF smaller than its pixels",
                $"The GIF declares {width}x{height} = {pixels:N0} pixels, but a GIF of {fileBytes:N0} bytes holds at most {most:N0} " +
                $"({MaxPixelsPerByte:N0} pixels a byte, the most LZW compression allows), so it is truncated or its screen is mostly empty. " +
                "Export it again, crop the screen to the picture, or send it as PNG.");
        }
    }
}
