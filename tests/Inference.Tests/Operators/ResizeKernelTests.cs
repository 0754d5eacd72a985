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

    [SkippableFact]
    public void RepeatedNearestRowsMatchTheGather()
    {
        SimdLevels.Require(SimdLevel.Vector512);
        var width = ResizeAxis.Create(new ResizeAxisOptions(ResizeMode.Nearest, CoordinateTransform.Asymmetric), 24, 48, 2f);
        var gather = new ResizeRowGather(width);
        Assert.True(gather.CanRepeat);
        var row = Accuracy.Random(24, seed: 3);
        var expected = new float[48];
        gather.Run(row, expected, SimdLevel.Scalar);

        // Three rows written, a guard row after them.
        var output = new float[4 * 48];
        output.AsSpan().Fill(7f);
        gather.RunRepeated(row, output.AsSpan(0, 3 * 48), 3, SimdLevel.Vector512);
        for (var r = 0; r < 3; r++)
        {
            Assert.Equal(expected, output.AsSpan(r * 48, 48).ToArray());
        }

        Assert.All(output[(3 * 48)..], v => Assert.Equal(7f, v));
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public void IntegerUpsamplingUsesTheVectorGatherForInteriorBlocks(SimdLevel level)
    {
        SimdLevels.Require(level);
        var options = new ResizeAxisOptions(ResizeMode.Linear, CoordinateTransform.HalfPixel);
        var width = ResizeAxis.Create(options, 64, 128, 2f);
        var gather = new ResizeRowGather(width);
        var (of256, of512) = gather.VectorBlocks;
        Assert.Equal(128 / 8, of256);
        Assert.Equal(128 / 16, of512);

        var row = Accuracy.Random(64, seed: 1);
        var expected = new float[128];
        var actual = new float[128];
        gather.Run(row, expected, SimdLevel.Scalar);
        gather.Run(row, actual, level);
        Accuracy.AssertElementwiseClose(expected, actual, atol: 5e-7, rtol: 5e-7);
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
