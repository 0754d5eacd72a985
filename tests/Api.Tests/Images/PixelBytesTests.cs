using ConvService.Api.Images;
using ConvService.Inference.Filters;

namespace ConvService.Api.Tests.Images;

/// <summary>The vector float-to-byte conversion against the scalar clamp(round(v * scale + offset)).</summary>
public sealed class PixelBytesTests
{
    [Fact]
    public void VectorConversionEqualsTheScalarOneAtEveryLength()
    {
        var rng = new Random(11);
        for (var length = 0; length <= 200; length++)
        {
            var values = new float[length];
            for (var i = 0; i < length; i++)
            {
                values[i] = (rng.Next(8)) switch
                {
                    0 => float.NaN,
                    1 => rng.Next(-3, 260) + 0.5f,
                    2 => float.PositiveInfinity,
                    3 => float.NegativeInfinity,
                    _ => (rng.NextSingle() * 400) - 100,
                };
            }

            var actual = new byte[length];
            PixelBytes.Convert(values, 0.5f, 64f, actual);
            Assert.Equal(values.Select(v => PixelBytes.ToByte((v * 0.5f) + 64f)).ToArray(), actual);
        }
    }

    [Fact]
    public void InterleavesPlanesIntoPixels()
    {
        var image = new FloatImage(2, 1, 3, [1, 2, 10, 20, 100, 200]);
        Assert.Equal(new byte[] { 1, 10, 100, 2, 20, 200 }, PixelBytes.Interleave(image, 1f, 0f));
    }
}
