using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvService.Inference.Tests.TestSupport;

/// <summary>The photographs under TestData/photos as planar RGB float tensors with values 0..255.</summary>
internal static class Photos
{
    public static float[] LoadRgbPlanar(string fileName, int width, int height)
    {
        using var image = Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "TestData", "photos", fileName));
        image.Mutate(c => c.Resize(width, height));
        var plane = width * height;
        var tensor = new float[3 * plane];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = image[x, y];
                tensor[y * width + x] = p.R;
                tensor[plane + y * width + x] = p.G;
                tensor[2 * plane + y * width + x] = p.B;
            }
        }

        return tensor;
    }
}
