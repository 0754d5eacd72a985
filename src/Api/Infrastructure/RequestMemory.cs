using ConvService.Inference.Errors;

namespace ConvService.Api.Infrastructure;

/// <summary>
/// The per-request memory budget (ConvService:Limits:MaxRequestMemoryMegabytes), checked from sizes alone before
/// anything is allocated, so a request that fits the pixel limits but not the memory is refused rather than started.
/// </summary>
public static class RequestMemory
{
    public const string Setting = "ConvService:Limits:MaxRequestMemoryMegabytes";

    public static long Bytes(LimitsOptions limits) => (long)limits.MaxRequestMemoryMegabytes * 1024 * 1024;

    /// <summary>
    /// An image filter holds the decoded RGBA pixels, the input planes, the output planes and the encoded answer
    /// (at most one byte per output value, plus PNG's row overhead, counted as one more byte per row).
    /// </summary>
    public static void CheckFilter(LimitsOptions limits, int width, int height, int channels, int outWidth, int outHeight)
    {
        var decoded = (long)width * height * 4;
        var planes = (long)width * height * channels * sizeof(float);
        var output = (long)outWidth * outHeight * channels * sizeof(float);
        var encoded = (long)outWidth * outHeight * channels + outHeight;
        var total = decoded + planes + output + encoded;
        if (total > Bytes(limits))
        {
            throw ConvServiceException.OverLimit(
                "Request needs too much memory",
                $"Filtering this {width}x{height} image with {channels} channel(s) into {outWidth}x{outHeight} needs {MiB(total)} MiB " +
                $"(decoded {width}x{height}x4 bytes + input {width}x{height}x{channels} floats + output {outWidth}x{outHeight}x{channels} floats + encoded {outWidth}x{outHeight}x{channels} bytes); " +
                $"the budget is {limits.MaxRequestMemoryMegabytes:N0} MiB ({Setting}). Send a smaller image, ask for gray, or use a larger stride.");
        }
    }

    /// <summary>Before a decode: the RGBA pixels and up to four float planes of the image.</summary>
    public static void CheckDecode(LimitsOptions limits, int width, int height)
    {
        var total = (long)width * height * (4 + (4 * sizeof(float)));
        if (total > Bytes(limits))
        {
            throw ConvServiceException.OverLimit(
                "Request needs too much memory",
                $"Decoding this {width}x{height} image needs {MiB(total)} MiB ({width}x{height}x4 bytes of pixels + up to 4 planes of {width}x{height} floats); " +
                $"the budget is {limits.MaxRequestMemoryMegabytes:N0} MiB ({Setting}). Scale it down and try again.");
        }
    }

    /// <summary>A lossless WebP's Huffman tables, which the decoder allocates in one piece before reading them.</summary>
    public static void CheckWebpHuffmanTables(LimitsOptions limits, int groups, long bytes)
    {
        if (bytes > Bytes(limits))
        {
            throw ConvServiceException.OverLimit(
                "Request needs too much memory",
                $"Decoding this lossless WebP needs {MiB(bytes)} MiB for the Huffman tables of its {groups:N0} code groups; " +
                $"the budget is {limits.MaxRequestMemoryMegabytes:N0} MiB ({Setting}). Save it with fewer entropy groups (a lower compression method) or as PNG.");
        }
    }

    private static string MiB(long bytes) => (bytes / (1024.0 * 1024)).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
}
