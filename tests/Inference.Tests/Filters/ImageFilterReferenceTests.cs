using ConvService.Inference.Filters;
using static ConvService.Inference.Tests.Filters.FilterTestData;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Filters;

/// <summary>The engine against the naive oracle, on every code path, border mode and awkward size.</summary>
public sealed class ImageFilterReferenceTests
{
    public static TheoryData<SimdLevel, BorderMode> LevelsAndBorders()
    {
        var data = new TheoryData<SimdLevel, BorderMode>();
        foreach (var level in Levels)
        {
            foreach (var border in Enum.GetValues<BorderMode>())
            {
                data.Add(level, border);
            }
        }

        return data;
    }

    public static TheoryData<SimdLevel> AllLevels() => new(Levels);

    [SkippableTheory]
    [MemberData(nameof(LevelsAndBorders))]
    public void EveryWidthFrom1To70MatchesTheReference(SimdLevel simd, BorderMode border)
    {
        SimdLevels.Require(simd);
        var rng = new Random(1000 + 10 * (int)simd + (int)border);
        var settings = new FilterSettings(Border: border);
        for (var width = 1; width <= 70; width++)
        {
            var image = RandomImage(rng, width, 1 + width % 7, 2);
            FilterKernel[] kernels =
            [
                new FilterKernel.Linear(RandomKernel(rng, 3, 3)),
                new FilterKernel.Linear(RandomSeparable(rng, 3, 5)),
                new FilterKernel.Linear(RandomKernel(rng, 2, 2)),
                new FilterKernel.Linear(RandomKernel(rng, 1, 4)),
                new FilterKernel.GradientMagnitude(RandomKernel(rng, 3, 3), RandomSeparable(rng, 3, 3)),
            ];
            foreach (var kernel in kernels)
            {
                var actual = ImageFilter.Apply(image, kernel, settings, simd);
                AssertClose(NaiveFilter.Run(image, kernel, settings), actual, $"{simd} {border} width {width} kernel {kernel.Rows}x{kernel.Cols}");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(LevelsAndBorders))]
    public void EveryCatalogKernelMatchesTheReference(SimdLevel simd, BorderMode border)
    {
        SimdLevels.Require(simd);
        var rng = new Random(2000 + 10 * (int)simd + (int)border);
        var image = RandomImage(rng, 37, 23, 3);
        foreach (var op in Enum.GetValues<FilterOp>())
        {
            var settings = new FilterSettings(op, border);
            foreach (var info in KernelCatalog.All)
            {
                var kernel = KernelCatalog.Create(info.Name, null, null, 31);
                AssertClose(NaiveFilter.Run(image, kernel, settings), ImageFilter.Apply(image, kernel, settings, simd), $"{info.Name} {op} {border} {simd}");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(AllLevels))]
    public void StridesAndPaddingModesMatchTheReference(SimdLevel simd)
    {
        SimdLevels.Require(simd);
        var rng = new Random(3000 + (int)simd);
        int[] widths = [1, 2, 3, 5, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65];
        FilterSettings[] settings =
        [
            new(Padding: PaddingMode.Same, Stride: 2),
            new(Padding: PaddingMode.Same, Stride: 3, Border: BorderMode.Wrap),
            new(Op: FilterOp.Convolve, Padding: PaddingMode.Explicit, Pad: 1, Stride: 2, FitFloor: true, Border: BorderMode.Reflect),
            new(Padding: PaddingMode.Explicit, Pad: 2, Stride: 1, Border: BorderMode.Zero),
            new(Padding: PaddingMode.Explicit, Pad: 1, Stride: 1, Border: BorderMode.Replicate),
            new(Padding: PaddingMode.Valid, Stride: 1),
            new(Padding: PaddingMode.Valid, Stride: 2, FitFloor: true),
        ];
        foreach (var width in widths)
        {
            var image = RandomImage(rng, width, 9, 1);
            FilterKernel[] kernels =
            [
                new FilterKernel.Linear(RandomKernel(rng, 3, 3)),
                new FilterKernel.Linear(RandomSeparable(rng, 3, 3)),
                new FilterKernel.Linear(RandomKernel(rng, 1, 1)),
            ];
            foreach (var s in settings)
            {
                foreach (var kernel in kernels)
                {
                    if (s.Padding != PaddingMode.Same && (width + 2 * s.Pad < kernel.Cols || s.Pad > width))
                    {
                        continue;
                    }

                    AssertClose(NaiveFilter.Run(image, kernel, s), ImageFilter.Apply(image, kernel, s, simd), $"{s} width {width} kernel {kernel.Rows}x{kernel.Cols}");
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(LevelsAndBorders))]
    public void OnePixelImagesWork(SimdLevel simd, BorderMode border)
    {
        SimdLevels.Require(simd);
        var image = new FloatImage(1, 1, 2, [3f, -2f]);
        var rng = new Random(4000);
        FilterSettings[] settings = [new(Border: border), new(Border: border, Padding: PaddingMode.Explicit, Pad: 1)];
        foreach (var s in settings)
        {
            foreach (var kernel in new[] { RandomKernel(rng, 3, 3), RandomSeparable(rng, 3, 3), RandomKernel(rng, 5, 5), RandomKernel(rng, 4, 2) })
            {
                if (s.Padding == PaddingMode.Explicit && kernel.Rows > 3)
                {
                    continue;
                }

                var filter = new FilterKernel.Linear(kernel);
                var actual = ImageFilter.Apply(image, filter, s, simd);
                Assert.Equal(1, actual.Width);
                Assert.Equal(1, actual.Height);
                AssertClose(NaiveFilter.Run(image, filter, s), actual, $"{s} kernel {kernel.Rows}x{kernel.Cols}");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(AllLevels))]
    public void LargeImagesSplitAcrossCoresGiveTheSameResult(SimdLevel simd)
    {
        SimdLevels.Require(simd);
        var rng = new Random(5000 + (int)simd);
        // Just over the 256K-pixel threshold where rows are spread across cores.
        var image = RandomImage(rng, 520, 505, 1);
        FilterKernel[] kernels = [new FilterKernel.Linear(RandomKernel(rng, 3, 3)), KernelCatalog.Create("gaussian", 5, 1.2, 31)];
        foreach (var kernel in kernels)
        {
            var parallel = ImageFilter.Apply(image, kernel, new FilterSettings(DegreeOfParallelism: 2), simd);
            var serial = ImageFilter.Apply(image, kernel, new FilterSettings(DegreeOfParallelism: 1), simd);
            Assert.Equal(serial.Data, parallel.Data);
            if (simd == SimdLevel.Vector512)
            {
                AssertClose(NaiveFilter.Run(image, kernel, new FilterSettings()), parallel, $"{simd} parallel");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(AllLevels))]
    public void LargeStridesSkipRowsCorrectly(SimdLevel simd)
    {
        SimdLevels.Require(simd);
        var rng = new Random(5500 + (int)simd);
        var image = RandomImage(rng, 300, 211, 1);
        var s = new FilterSettings(Padding: PaddingMode.Explicit, Pad: 3, Stride: 37, FitFloor: true, Border: BorderMode.Reflect);
        foreach (var kernel in new[] { RandomKernel(rng, 5, 4), RandomSeparable(rng, 3, 7) })
        {
            var filter = new FilterKernel.Linear(kernel);
            AssertClose(NaiveFilter.Run(image, filter, s), ImageFilter.Apply(image, filter, s, simd), $"stride 37 kernel {kernel.Rows}x{kernel.Cols}");
        }
    }

    [SkippableFact]
    public void ConvolveEqualsCorrelateWithTheFlippedKernel()
    {
        var rng = new Random(6000);
        var image = RandomImage(rng, 29, 13, 2);
        var kernel = RandomKernel(rng, 3, 4);
        var convolved = ImageFilter.Apply(image, new FilterKernel.Linear(kernel), new FilterSettings(FilterOp.Convolve, BorderMode.Reflect));
        var correlated = ImageFilter.Apply(image, new FilterKernel.Linear(kernel.Flipped()), new FilterSettings(FilterOp.Correlate, BorderMode.Reflect));
        Assert.Equal(correlated.Data, convolved.Data);

        // And it is not the same as correlating, or this test could not fail.
        var plain = ImageFilter.Apply(image, new FilterKernel.Linear(kernel), new FilterSettings(FilterOp.Correlate, BorderMode.Reflect));
        Assert.NotEqual(plain.Data, convolved.Data);
    }

    [SkippableFact]
    public void ApplyIntoACallerBufferMatchesApply()
    {
        var rng = new Random(7000);
        var image = RandomImage(rng, 40, 30, 3);
        var kernel = KernelCatalog.Create("sobel-magnitude", null, null, 31);
        var s = new FilterSettings(Padding: PaddingMode.Valid, Stride: 1);
        var output = new FloatImage(38, 28, 3);
        ImageFilter.Apply(image, kernel, s, output);
        Assert.Equal(ImageFilter.Apply(image, kernel, s).Data, output.Data);
        Assert.Throws<ArgumentException>(() => ImageFilter.Apply(image, kernel, s, new FloatImage(40, 30, 3)));
    }
}
