using ConvService.Inference.Filters;
using static ConvService.Inference.Tests.Filters.FilterTestData;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Filters;

/// <summary>The image-filtering slides of the lecture, reproduced exactly.</summary>
public sealed class LectureExampleTests
{
    // g of the slide: the 3x3 mean filter over f with valid padding.
    private static readonly int[,] ExpectedG =
    {
        { 0, 10, 20, 30, 30, 30, 20, 10 },
        { 0, 20, 40, 60, 60, 60, 40, 20 },
        { 0, 30, 60, 90, 90, 90, 60, 30 },
        { 0, 30, 50, 80, 80, 90, 60, 30 },
        { 0, 30, 50, 80, 80, 90, 60, 30 },
        { 0, 20, 30, 50, 50, 60, 40, 20 },
        { 10, 20, 30, 30, 30, 30, 20, 10 },
        { 10, 10, 10, 0, 0, 0, 0, 0 },
    };

    public static TheoryData<SimdLevel> AllLevels() => new(Levels);

    /// <summary>f: zeros, a 90 square in rows 2-6 and columns 3-7 with a hole at (5, 4), and a lone 90 at (8, 2).</summary>
    private static FloatImage LectureF()
    {
        var f = new FloatImage(10, 10, 1);
        for (var y = 2; y <= 6; y++)
        {
            for (var x = 3; x <= 7; x++)
            {
                f[0, y, x] = 90;
            }
        }

        f[0, 5, 4] = 0;
        f[0, 8, 2] = 90;
        return f;
    }

    [SkippableTheory]
    [MemberData(nameof(AllLevels))]
    public void BoxFilterWithValidPaddingGivesTheSlidesG(SimdLevel simd)
    {
        SimdLevels.Require(simd);
        var g = ImageFilter.Apply(LectureF(), KernelCatalog.Create("box", 3, null, 31), new FilterSettings(Padding: PaddingMode.Valid), simd);

        Assert.Equal(8, g.Width);
        Assert.Equal(8, g.Height);
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                Assert.Equal(ExpectedG[y, x], (int)MathF.Round(g[0, y, x]));
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(AllLevels))]
    public void IdentityReturnsTheImage(SimdLevel simd)
    {
        SimdLevels.Require(simd);
        var rng = new Random(11);
        var f = RandomImage(rng, 33, 17, 2);
        foreach (var border in Enum.GetValues<BorderMode>())
        {
            var g = ImageFilter.Apply(f, KernelCatalog.Create("identity", null, null, 31), new FilterSettings(Border: border), simd);
            Assert.Equal(f.Data, g.Data);
        }
    }

    [SkippableTheory]
    [InlineData("shift-left", 0, 1)]
    [InlineData("shift-right", 0, -1)]
    [InlineData("shift-up", 1, 0)]
    [InlineData("shift-down", -1, 0)]
    public void ShiftKernelsMoveTheImageByOnePixel(string name, int dy, int dx)
    {
        // g[y, x] = f[y + dy, x + dx]: shift-left shows at x what was one pixel to its right.
        var rng = new Random(12);
        var f = RandomImage(rng, 17, 9, 1);
        foreach (var simd in SimdLevels.Accelerated)
        {
            var g = ImageFilter.Apply(f, KernelCatalog.Create(name, null, null, 31), new FilterSettings(Border: BorderMode.Zero), simd);
            for (var y = 0; y < f.Height; y++)
            {
                for (var x = 0; x < f.Width; x++)
                {
                    var sy = y + dy;
                    var sx = x + dx;
                    var expected = sy >= 0 && sy < f.Height && sx >= 0 && sx < f.Width ? f[0, sy, sx] : 0f;
                    Assert.Equal(expected, g[0, y, x]);
                }
            }
        }
    }

    [SkippableFact]
    public void CorrelatingAnImpulseGivesTheFlippedKernelAndConvolvingGivesTheKernel()
    {
        var f = new FloatImage(5, 5, 1);
        f[0, 2, 2] = 1;
        var kernel = new Kernel2D(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var correlated = ImageFilter.Apply(f, new FilterKernel.Linear(kernel), new FilterSettings(Border: BorderMode.Zero));
        var convolved = ImageFilter.Apply(f, new FilterKernel.Linear(kernel), new FilterSettings(FilterOp.Convolve, BorderMode.Zero));
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(kernel[2 - i, 2 - j], correlated[0, 1 + i, 1 + j]);
                Assert.Equal(kernel[i, j], convolved[0, 1 + i, 1 + j]);
            }
        }
    }

    [SkippableFact]
    public void SobelXRespondsToVerticalEdgesAndSobelYToHorizontalOnes()
    {
        // Left half 0, right half 1: a vertical edge.
        var f = new FloatImage(8, 8, 1);
        for (var y = 0; y < 8; y++)
        {
            for (var x = 4; x < 8; x++)
            {
                f[0, y, x] = 1;
            }
        }

        var s = new FilterSettings(Padding: PaddingMode.Valid);
        var gx = ImageFilter.Apply(f, KernelCatalog.Create("sobel-x", null, null, 31), s);
        var gy = ImageFilter.Apply(f, KernelCatalog.Create("sobel-y", null, null, 31), s);
        var magnitude = ImageFilter.Apply(f, KernelCatalog.Create("sobel-magnitude", null, null, 31), s);

        // [1 0 -1] correlated across a rising edge is -(1 + 2 + 1) = -4.
        Assert.Equal(-4f, gx[0, 3, 2]);
        Assert.Equal(0f, gx[0, 3, 0]);
        Assert.All(gy.Data, v => Assert.Equal(0f, v));
        Assert.Equal(4f, magnitude[0, 3, 2]);
    }
}
