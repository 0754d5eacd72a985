using ConvService.Inference.Filters;

namespace ConvService.Inference.Tests.Filters;

internal static class FilterTestData
{
    public static readonly SimdLevel[] Levels = TestSupport.SimdLevels.All;

    public static FloatImage RandomImage(Random rng, int width, int height, int channels)
    {
        var image = new FloatImage(width, height, channels);
        for (var i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return image;
    }

    public static Kernel2D RandomKernel(Random rng, int rows, int cols)
    {
        var values = new float[rows * cols];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return new Kernel2D(rows, cols, values);
    }

    public static Kernel2D RandomSeparable(Random rng, int rows, int cols) =>
        Kernel2D.Outer(RandomKernel(rng, rows, 1).Values, RandomKernel(rng, 1, cols).Values);

    public static void AssertClose(FloatImage expected, FloatImage actual, string because)
    {
        Assert.True(expected.Width == actual.Width && expected.Height == actual.Height && expected.Channels == actual.Channels,
            $"{because}: size {actual.Width}x{actual.Height}x{actual.Channels}, expected {expected.Width}x{expected.Height}x{expected.Channels}");
        for (var i = 0; i < expected.Data.Length; i++)
        {
            var e = expected.Data[i];
            var a = actual.Data[i];
            Assert.True(Math.Abs(e - a) <= 1e-4f + 1e-5f * Math.Abs(e), $"{because}: value {i} is {a}, expected {e}");
        }
    }
}
