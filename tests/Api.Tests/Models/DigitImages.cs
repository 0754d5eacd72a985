using ConvService.Inference.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvService.Api.Tests.Models;

/// <summary>Held-out MNIST digits rendered as image files, as a client would upload them.</summary>
public static class DigitImages
{
    private static readonly Lazy<DigitSet> HeldOut = new(() =>
        DigitSet.Read(Path.Combine(ModelService.ShippedModels, "lenet5-mnist", "heldout-digits.bin.gz")));

    public static DigitSet Digits => HeldOut.Value;

    /// <summary>Digit <paramref name="index"/> as a 28x28 PNG, white ink on black as MNIST stores it.</summary>
    public static byte[] Png(int index)
    {
        var pixels = Digits.Image(index);
        using var image = new Image<L8>(28, 28);
        for (var y = 0; y < 28; y++)
        {
            for (var x = 0; x < 28; x++)
            {
                image[x, y] = new L8(pixels[y * 28 + x]);
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// The same digit drawn the way a person would: <paramref name="size"/> px, dark blue ink on white paper, off
    /// centre with a wide margin.
    /// </summary>
    public static byte[] DrawnPng(int index, int size = 140)
    {
        var pixels = Digits.Image(index);
        using var small = new Image<Rgb24>(28, 28);
        var paper = new Rgb24(255, 255, 255);
        var ink = new Rgb24(20, 30, 140);
        for (var y = 0; y < 28; y++)
        {
            for (var x = 0; x < 28; x++)
            {
                var a = pixels[y * 28 + x] / 255f;
                small[x, y] = new Rgb24(
                    (byte)(paper.R + (ink.R - paper.R) * a),
                    (byte)(paper.G + (ink.G - paper.G) * a),
                    (byte)(paper.B + (ink.B - paper.B) * a));
            }
        }

        var digitSize = size * 3 / 5;
        small.Mutate(c => c.Resize(digitSize, digitSize, KnownResamplers.Bicubic));
        using var canvas = new Image<Rgb24>(size, size, paper);
        canvas.Mutate(c => c.DrawImage(small, new Point(size / 10, size / 4), 1f));
        using var stream = new MemoryStream();
        canvas.SaveAsPng(stream);
        return stream.ToArray();
    }
}
