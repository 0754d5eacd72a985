using ConvService.Inference.Operators.Resize;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

/// <summary>The planar resize kernel at every SIMD level against the element-by-element reference.</summary>
public sealed class ResizeKernelTests
{
    public static TheoryData<SimdLevel, ResizeMode, int, int, int, int> Cases()
    {
        var data = new TheoryData<SimdLevel, ResizeMode, int, int, int, int>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var mode in Enum.GetValues<ResizeMode>())
            {
                // Widths around the vector lengths, upsampling by integer and odd factors, mild and strong shrinking.
                data.Add(level, mode, 5, 8, 10, 16);
                data.Add(level, mode, 7, 9, 14, 18);
                data.Add(level, mode, 3, 17, 6, 34);
                data.Add(level, mode, 4, 33, 13, 99);
                data.Add(level, mode, 9, 40, 5, 31);
                data.Add(level, mode, 6, 64, 6, 20);
                data.Add(level, mode, 1, 1, 3, 7);
                data.Add(level, mode, 8, 15, 8, 15);
                data.Add(level, mode, 4, 16, 8, 32);
                data.Add(level, mode, 3, 24, 7, 48);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryPathMatchesTheReference(SimdLevel level, ResizeMode mode, int inH, int inW, int outH, int outW)
    {
        SimdLevels.Require(level);
        const int planes = 3;
        foreach (var transform in new[] { CoordinateTransform.HalfPixel, CoordinateTransform.AlignCorners, CoordinateTransform.Asymmetric })
        {
            var options = new ResizeAxisOptions(mode, transform);
            var planesAxis = ResizeAxis.Create(options with { Mode = ResizeMode.Nearest }, planes, planes, 1f);
            var height = ResizeAxis.Create(options, inH, outH, (float)outH / inH);
            var width = ResizeAxis.Create(options, inW, outW, (float)outW / inW);
            var input = Accuracy.Random(planes * inH * inW, seed: inW + outW);
            var expected = new float[planes * outH * outW];
            var actual = new float[expected.Length];
            ResizeReference.Run([planesAxis, height, width], input, expected, 0f);

            var kernel = new ResizeKernel(height, width);
            var scratch = new float[kernel.ScratchFloats];
            kernel.Run(input, actual, planes, scratch, 0f, level);
            Accuracy.AssertElementwiseClose(expected, actual, atol: 5e-7, rtol: 5e-7);
        }
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Vector128, ResizeMode.Linear)]
    [InlineData(SimdLevel.Vector256, ResizeMode.Linear)]
    [InlineData(SimdLevel.Vector512, ResizeMode.Linear)]
    [InlineData(SimdLevel.Vector128, ResizeMode.Nearest)]
    [InlineData(SimdLevel.Vector256, ResizeMode.Nearest)]
    [InlineData(SimdLevel.Vector512, ResizeMode.Nearest)]
    public void IntegerUpsamplingUsesTheVectorGatherForEveryBlock(SimdLevel level, ResizeMode mode)
    {
        SimdLevels.Require(level);
        var options = new ResizeAxisOptions(mode, mode == ResizeMode.Nearest ? CoordinateTransform.Asymmetric : CoordinateTransform.HalfPixel, NearestRounding.Floor);
        var width = ResizeAxis.Create(options, 64, 128, 2f);
        var gather = new ResizeRowGather(width);
        var lanes = level switch { SimdLevel.Vector512 => 16, SimdLevel.Vector256 => 8, _ => 4 };
        Assert.Equal(128 / lanes, gather.VectorBlocks(level));

        var row = Accuracy.Random(64, seed: 1);
        var expected = new float[128];
        var actual = new float[128];
        gather.Run(row, expected, SimdLevel.Scalar);
        gather.Run(row, actual, level);
        Accuracy.AssertElementwiseClose(expected, actual, atol: 5e-7, rtol: 5e-7);
        if (mode == ResizeMode.Nearest)
        {
            Assert.Equal(expected, actual);
        }
    }

    public static TheoryData<SimdLevel, int, int> ReplicationCases()
    {
        var data = new TheoryData<SimdLevel, int, int>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var factor in new[] { 2, 3, 4, 7 })
            {
                // A whole number of vectors at every width, and widths whose last vector overlaps the one before.
                data.Add(level, factor, 64);
                data.Add(level, factor, 21);
                data.Add(level, factor, 4);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(ReplicationCases))]
    public void WholeFactorNearestUpsamplingMatchesTheScalarGather(SimdLevel level, int factor, int inW)
    {
        SimdLevels.Require(level);
        // Asymmetric with floor, and half-pixel with rounding, both read input o / factor.
        foreach (var (transform, rounding) in new[] { (CoordinateTransform.Asymmetric, NearestRounding.Floor), (CoordinateTransform.HalfPixel, NearestRounding.RoundPreferFloor) })
        {
            var axis = ResizeAxis.Create(new ResizeAxisOptions(ResizeMode.Nearest, transform, rounding), inW, inW * factor, factor);
            var gather = new ResizeRowGather(axis);
            Assert.Equal(factor, gather.ReplicationFactor);
            var row = Accuracy.Random(inW, seed: factor);
            var expected = new float[inW * factor];
            var actual = new float[(inW * factor) + 1];
            actual[^1] = 7f;
            gather.Run(row, expected, SimdLevel.Scalar);
            gather.Run(row, actual, level);
            Assert.Equal(expected, actual[..^1]);
            Assert.Equal(7f, actual[^1]);
        }
    }

    [Fact]
    public void ReplicationNeedsEveryOutputToReadItsWholeFactorSource()
    {
        // Align-corners with floor: output 30 reads floor(30 x 15 / 31) = 14, not 15.
        var options = new ResizeAxisOptions(ResizeMode.Nearest, CoordinateTransform.AlignCorners, NearestRounding.Floor);
        Assert.Equal(0, new ResizeRowGather(ResizeAxis.Create(options, 16, 32, 2f)).ReplicationFactor);
        var asymmetric = options with { Transform = CoordinateTransform.Asymmetric };
        Assert.Equal(0, new ResizeRowGather(ResizeAxis.Create(asymmetric, 16, 24, 1.5f)).ReplicationFactor);

        // Rounding x = o / 4 to nearest reads input k + 1 from output 4k + 3.
        Assert.Equal(0, new ResizeRowGather(ResizeAxis.Create(asymmetric with { Rounding = NearestRounding.RoundPreferFloor }, 16, 64, 4f)).ReplicationFactor);
        Assert.Equal(0, new ResizeRowGather(ResizeAxis.Create(options with { Mode = ResizeMode.Linear }, 16, 32, 2f)).ReplicationFactor);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public void NearestRowsRepeatedFromTheRowAboveMatchTheReference(SimdLevel level)
    {
        // x3 vertically (each source row written once, copied twice), x2 horizontally, over several planes.
        SimdLevels.Require(level);
        var options = new ResizeAxisOptions(ResizeMode.Nearest, CoordinateTransform.Asymmetric, NearestRounding.Floor);
        const int planes = 4;
        var planesAxis = ResizeAxis.Create(options, planes, planes, 1f);
        var height = ResizeAxis.Create(options, 5, 15, 3f);
        var width = ResizeAxis.Create(options, 40, 80, 2f);
        var input = Accuracy.Random(planes * 5 * 40, seed: 9);
        var expected = new float[planes * 15 * 80];
        var actual = new float[expected.Length];
        ResizeReference.Run([planesAxis, height, width], input, expected, 0f);
        var kernel = new ResizeKernel(height, width);
        kernel.Run(input, actual, planes, new float[Math.Max(1, kernel.ScratchFloats)], 0f, level);
        Assert.Equal(expected, actual);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public void AntialiasedShrinkingMatchesTheReference(SimdLevel level)
    {
        SimdLevels.Require(level);
        const int planes = 2;
        foreach (var mode in new[] { ResizeMode.Linear, ResizeMode.Cubic })
        {
            foreach (var (inH, outH, inW, outW) in new[] { (20, 10, 64, 32), (17, 5, 70, 56), (9, 4, 33, 66) })
            {
                var options = new ResizeAxisOptions(mode, CoordinateTransform.HalfPixel, Antialias: true);
                var planesAxis = ResizeAxis.Create(options with { Mode = ResizeMode.Nearest }, planes, planes, 1f);
                var height = ResizeAxis.Create(options, inH, outH, (float)outH / inH);
                var width = ResizeAxis.Create(options, inW, outW, (float)outW / inW);
                var input = Accuracy.Random(planes * inH * inW, seed: inW + outH);
                var expected = new float[planes * outH * outW];
                var actual = new float[expected.Length];
                ResizeReference.Run([planesAxis, height, width], input, expected, 0f);
                var kernel = new ResizeKernel(height, width);
                kernel.Run(input, actual, planes, new float[Math.Max(1, kernel.ScratchFloats)], 0f, level);
                Accuracy.AssertElementwiseClose(expected, actual, atol: 1e-6, rtol: 1e-6);
            }
        }
    }

    [Fact]
    public void AntialiasedHalvingAveragesFourSamplesUnderAStretchedTent()
    {
        // Half-pixel halving puts output o at input 2o + 0.5; the tent stretched to half-width 2 weighs samples
        // 2o - 1 .. 2o + 2 by 0.25, 0.75, 0.75, 0.25, normalised to 1/8, 3/8, 3/8, 1/8.
        var axis = ResizeAxis.Create(new ResizeAxisOptions(ResizeMode.Linear, CoordinateTransform.HalfPixel, Antialias: true), 16, 8, 0.5f);
        var o = 3;
        var weightOf = new float[16];
        for (var t = 0; t < axis.Taps; t++)
        {
            weightOf[axis.Indices[(o * axis.Taps) + t]] += axis.Weights[(o * axis.Taps) + t];
        }

        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0.125f, 0.375f, 0.375f, 0.125f, 0f, 0f, 0f, 0f, 0f, 0f, 0f], weightOf);

        // Without antialiasing the same output reads only samples 6 and 7.
        var plain = ResizeAxis.Create(new ResizeAxisOptions(ResizeMode.Linear, CoordinateTransform.HalfPixel), 16, 8, 0.5f);
        Assert.Equal([6, 7], plain.Indices.AsSpan(o * 2, 2).ToArray());
    }

    [SkippableFact]
    public void CropOutsideTheInputTakesTheExtrapolationValue()
    {
        var options = new ResizeAxisOptions(ResizeMode.Linear, CoordinateTransform.TfCropAndResize);
        var height = ResizeAxis.Create(options, 4, 3, 0.75f, -0.5f, 0.5f);
        var width = ResizeAxis.Create(options, 4, 5, 1.25f, 0.5f, 1.5f);
        Assert.True(height.Outside[0]);
        Assert.True(width.Outside[^1]);
        var input = Accuracy.Random(16, seed: 2);
        var expected = new float[15];
        var actual = new float[15];
        ResizeReference.Run([height, width], input, expected, 9f);
        new ResizeKernel(height, width).Run(input, actual, 1, new float[2 * 5], 9f, SimdCapabilities.Best);
        Assert.Equal(9f, actual[0]);
        Accuracy.AssertElementwiseClose(expected, actual, atol: 5e-7, rtol: 5e-7);
    }

    [SkippableTheory]
    [InlineData(NearestRounding.RoundPreferFloor, new[] { 0, 1, 1, 2 })]
    [InlineData(NearestRounding.RoundPreferCeil, new[] { 0, 1, 2, 2 })]
    [InlineData(NearestRounding.Floor, new[] { 0, 0, 1, 2 })]
    [InlineData(NearestRounding.Ceil, new[] { 0, 1, 2, 2 })]
    public void NearestRoundingRulesOnTies(NearestRounding rounding, int[] expected)
    {
        // Asymmetric at scale 4/3 puts outputs 0..3 at 0, 0.75, 1.5 (a tie) and 2.25; ceil's 3 is clamped to the last index.
        var axis = ResizeAxis.Create(new ResizeAxisOptions(ResizeMode.Nearest, CoordinateTransform.Asymmetric, rounding), 3, 4, 4f / 3f);
        Assert.Equal(expected, axis.Indices);
    }
}
