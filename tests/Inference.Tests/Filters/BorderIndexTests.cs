using ConvService.Inference.Filters;

namespace ConvService.Inference.Tests.Filters;

public sealed class BorderIndexTests
{
    // Row abcd, read at -3..6.
    [Theory]
    [InlineData(BorderMode.Reflect, new[] { 2, 1, 0, 0, 1, 2, 3, 3, 2, 1 })]
    [InlineData(BorderMode.Reflect101, new[] { 3, 2, 1, 0, 1, 2, 3, 2, 1, 0 })]
    [InlineData(BorderMode.Replicate, new[] { 0, 0, 0, 0, 1, 2, 3, 3, 3, 3 })]
    [InlineData(BorderMode.Wrap, new[] { 1, 2, 3, 0, 1, 2, 3, 0, 1, 2 })]
    [InlineData(BorderMode.Zero, new[] { -1, -1, -1, 0, 1, 2, 3, -1, -1, -1 })]
    public void ModesReadTheDocumentedPixels(BorderMode mode, int[] expected)
    {
        for (var i = -3; i <= 6; i++)
        {
            Assert.Equal(expected[i + 3], BorderIndex.Map(i, 4, mode));
        }
    }

    [Theory]
    [InlineData(BorderMode.Reflect)]
    [InlineData(BorderMode.Reflect101)]
    [InlineData(BorderMode.Replicate)]
    [InlineData(BorderMode.Wrap)]
    [InlineData(BorderMode.Zero)]
    public void PadsFarBeyondTheImageReflectRepeatedly(BorderMode mode)
    {
        for (var n = 1; n <= 6; n++)
        {
            for (var i = -25; i <= 25; i++)
            {
                Assert.Equal(NaiveFilter.Source(i, n, mode) ?? -1, BorderIndex.Map(i, n, mode));
            }
        }
    }
}
