using ConvService.Inference.Filters;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Inference.Tests.Classifiers;

/// <summary>64x64 gray patches cut from the 512x512 texture samples, numbered row by row (0..63).</summary>
internal static class TexturePatches
{
    public const int Side = 64;

    public static FloatImage Patch(string sample, int index)
    {
        using var image = Image.Load<L8>(Path.Combine(AppContext.BaseDirectory, "TestData", "photos", sample));
        var perRow = image.Width / Side;
        int top = index / perRow * Side, left = index % perRow * Side;
        var patch = new FloatImage(Side, Side, 1);
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                patch.Data[y * Side + x] = image[left + x, top + y].PackedValue;
            }
        }

        return patch;
    }
}
