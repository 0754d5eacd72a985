using System.IO.Compression;
using ConvService.Api.Images;
using ConvService.Api.Infrastructure;
using ConvService.Inference.Filters;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Tests.Support;

/// <summary>
/// The repository's sample photos decoded by the service's codec and filtered with a named kernel: the images the PNG
/// writer and its deflaters are sized and checked on.
/// </summary>
public static class FilteredSamples
{
    /// <summary>The codec with default limits and image options.</summary>
    public static ImageCodec Codec() => new(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));

    /// <summary>The sample decoded as RGB and filtered with <paramref name="kernel"/> at its defaults.</summary>
    public static FloatImage Filter(string sample, string kernel)
    {
        var decoded = Codec().Decode(TestImages.Sample(sample), gray: false);
        return ImageFilter.Apply(decoded.Planes, KernelCatalog.Create(kernel, null, null, 31), new FilterSettings());
    }

    /// <summary>What the runtime's zlib inflates a zlib stream to.</summary>
    public static byte[] Inflate(byte[] compressed)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress))
        {
            zlib.CopyTo(output);
        }

        return output.ToArray();
    }
}
