using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvService.Api.Tests.Classifiers;

/// <summary>64x64 PNG patches cut from the 512x512 texture samples, numbered row by row (0..63).</summary>
public static class PatchImages
{
    public static byte[] Patch(string sample, int index)
    {
        using var image = Image.Load<L8>(Path.Combine(AppContext.BaseDirectory, "samples", sample));
        image.Mutate(c => c.Crop(new Rectangle(index % 8 * 64, index / 8 * 64, 64, 64)));
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }
}
