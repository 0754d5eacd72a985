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

    /// <summary>The same patch as gray values 0..255, row by row: a filter-bank classifier's input tensor.</summary>
    public static float[] Pixels(string sample, int index)
    {
        using var image = Image.Load<L8>(Patch(sample, index));
        var pixels = new float[64 * 64];
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                pixels[y * 64 + x] = image[x, y].PackedValue;
            }
        }

        return pixels;
    }
}
