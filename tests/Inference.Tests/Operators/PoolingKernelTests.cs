using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Normalization;
using ConvService.Inference.Operators.Pooling;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

public sealed class PoolingKernelTests
{
    public static TheoryData<SimdLevel, int> Sizes()
    {
        var data = new TheoryData<SimdLevel, int>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var size in new[] { 1, 7, 8, 9, 15, 16, 17, 49, 196 })
            {
                data.Add(level, size);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Sizes))]
    public void GlobalPoolsMatchTheReference(SimdLevel level, int planeSize)
    {
        SimdLevels.Require(level);
        const int planes = 5;
        var input = Accuracy.Random(planes * planeSize, seed: planeSize);
        var expected = new float[planes];
        var actual = new float[planes];

        GlobalPoolReference.Average(input, expected, planes, planeSize);
        GlobalPoolKernel.Average(input, actual, planes, planeSize, level);
        Accuracy.AssertElementwiseClose(expected, actual, atol: 5e-7, rtol: 5e-7);

        GlobalPoolReference.Max(input, expected, planes, planeSize);
        GlobalPoolKernel.Max(input, actual, planes, planeSize, level);
        Assert.Equal(expected, actual);
    }

    [SkippableTheory]
    [MemberData(nameof(Sizes))]
    public void ChannelAffineMatchesTheReference(SimdLevel level, int planeSize)
    {
        SimdLevels.Require(level);
        float[] scale = [0.5f, -2f, 3f];
        float[] shift = [1f, 0f, -1f];
        var input = Accuracy.Random(2 * 3 * planeSize, seed: 3);
        var expected = new float[input.Length];
        var actual = new float[input.Length];
        ChannelAffineKernel.Reference(input, expected, scale, shift, 2, planeSize);
        ChannelAffineKernel.Run(input, actual, scale, shift, 2, planeSize, level);
        Assert.Equal(expected, actual);
    }

    public static TheoryData<SimdLevel, int, int, int, int, int, int, bool> Windows()
    {
        var data = new TheoryData<SimdLevel, int, int, int, int, int, int, bool>();
        int[][] cases =
        [
            [1, 1, 1, 1, 0, 1], [7, 9, 3, 2, 1, 1], [15, 16, 3, 1, 1, 1], [17, 17, 2, 2, 0, 1],
            [8, 33, 3, 2, 0, 2], [9, 7, 5, 3, 2, 1], [16, 15, 3, 3, 1, 2], [112, 112, 3, 2, 1, 1],
        ];
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var c in cases)
            {
                foreach (var ceil in new[] { false, true })
                {
                    data.Add(level, c[0], c[1], c[2], c[3], c[4], c[5], ceil);
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Windows))]
    public void WindowPoolsMatchTheReference(SimdLevel level, int height, int width, int kernel, int stride, int pad, int dilation, bool ceil)
    {
        SimdLevels.Require(level);
        var outH = PoolGeometry.OutputSize(height, kernel, stride, pad, pad + 1, dilation, ceil);
        var outW = PoolGeometry.OutputSize(width, kernel, stride, pad + 1, pad, dilation, ceil);
        Assert.True(outH > 0 && outW > 0);
        var g = new PoolGeometry(height, width, outH, outW, kernel, kernel, stride, stride, pad, pad + 1, pad + 1, pad, dilation, dilation);
        const int planes = 3;
        var input = Accuracy.Random(planes * height * width, seed: height * width);
        var expected = new float[planes * outH * outW];
        var actual = new float[expected.Length + 1];
        actual[^1] = 7f;

        PoolReference.Max(g, input, expected, planes);
        PoolKernel.Max(g, input, actual.AsSpan(0, expected.Length), planes, level);
        Assert.Equal(expected, actual[..^1]);

        var average = g with { DilationH = 1, DilationW = 1 };
        foreach (var countIncludePad in new[] { false, true })
        {
            PoolReference.Average(average, input, expected, planes, countIncludePad);
            PoolKernel.Average(average, input, actual.AsSpan(0, expected.Length), planes, countIncludePad, level);
            Accuracy.AssertElementwiseClose(expected, actual.AsSpan(0, expected.Length), atol: 5e-7, rtol: 5e-7);
        }

        Assert.Equal(7f, actual[^1]);
    }

    public static TheoryData<SimdLevel, int, int, int, bool> VariedShapes()
    {
        var data = new TheoryData<SimdLevel, int, int, int, bool>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var width in new[] { 1, 15, 16, 17, 31, 33, 112 })
            {
                foreach (var kernel in new[] { 2, 3, 7 })
                {
                    foreach (var stride in new[] { 1, 2, 3 })
                    {
                        data.Add(level, width, kernel, stride, false);
                        data.Add(level, width, kernel, stride, true);
                    }
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Heights, pads (0 or 1 per side, independently) and max dilation come from a seed fixed by the case, so
    /// every border, interior and overlapping-last-block combination of the row passes is reached.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(VariedShapes))]
    public void WindowPoolsOnVariedShapesMatchTheReference(SimdLevel level, int width, int kernel, int stride, bool ceil)
    {
        SimdLevels.Require(level);
        var random = new Random(width * 1000 + kernel * 100 + stride * 10 + (ceil ? 1 : 0));
        var height = new[] { 1, 5, 9, 13 }[random.Next(4)];
        var (top, bottom, left, right) = (random.Next(2), random.Next(2), random.Next(2), random.Next(2));
        var kernelH = Math.Min(kernel, height + top + bottom);
        var kernelW = Math.Min(kernel, width + left + right);
        (top, bottom) = (Math.Min(top, kernelH - 1), Math.Min(bottom, kernelH - 1));
        (left, right) = (Math.Min(left, kernelW - 1), Math.Min(right, kernelW - 1));
        var dilation = random.Next(1, 3);

        PoolGeometry Geometry(int d) => new(
            height, width,
            PoolGeometry.OutputSize(height, kernelH, stride, top, bottom, d, ceil),
            PoolGeometry.OutputSize(width, kernelW, stride, left, right, d, ceil),
            kernelH, kernelW, stride, stride, top, left, bottom, right, d, d);

        var dilated = Geometry(dilation);
        var max = dilated.OutHeight > 0 && dilated.OutWidth > 0 ? dilated : Geometry(1);
        var average = Geometry(1);
        Assert.True(average.OutHeight > 0 && average.OutWidth > 0);

        const int planes = 2;
        var input = Accuracy.Random(planes * height * width, seed: random.Next());
        AssertMaxMatches(max, input, planes, level);
        foreach (var countIncludePad in new[] { false, true })
        {
            var expected = new float[planes * average.OutHeight * average.OutWidth];
            var actual = new float[expected.Length + 1];
            actual[^1] = 7f;
            PoolReference.Average(average, input, expected, planes, countIncludePad);
            PoolKernel.Average(average, input, actual.AsSpan(0, expected.Length), planes, countIncludePad, level);
            Accuracy.AssertElementwiseClose(expected, actual.AsSpan(0, expected.Length), atol: 5e-7, rtol: 5e-7);
            Assert.Equal(7f, actual[^1]);
        }
    }

    /// <summary>NaN, infinities and signed zeros: the vector max must pick exactly what MathF.Max picks.</summary>
    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector512)]
    public void MaxPoolAgreesBitForBitOnSpecialValues(SimdLevel level)
    {
        SimdLevels.Require(level);
        const int size = 40;
        float[] specials = [float.NaN, -0f, 0f, float.NegativeInfinity, float.PositiveInfinity, -1f];
        var random = new Random(5);
        var input = new float[size * size];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = random.Next(3) == 0 ? specials[random.Next(specials.Length)] : -0f;
        }

        foreach (var stride in new[] { 1, 2 })
        {
            var outSize = PoolGeometry.OutputSize(size, 3, stride, 1, 1, 1, false);
            AssertMaxMatches(new PoolGeometry(size, size, outSize, outSize, 3, 3, stride, stride, 1, 1, 1, 1), input, 1, level);
        }
    }

    /// <summary>ResNet's 7x7 average over a 7x7 plane (and its max twin) take the whole-plane shortcut.</summary>
    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector512)]
    public void WholePlaneWindowsMatchTheReference(SimdLevel level)
    {
        SimdLevels.Require(level);
        const int planes = 9;
        var g = new PoolGeometry(7, 7, 1, 1, 7, 7, 1, 1, 0, 0, 0, 0);
        var input = Accuracy.Random(planes * 49, seed: 49);
        var expected = new float[planes];
        var actual = new float[planes];
        PoolReference.Average(g, input, expected, planes, countIncludePad: false);
        PoolKernel.Average(g, input, actual, planes, countIncludePad: false, level);
        Accuracy.AssertElementwiseClose(expected, actual, atol: 5e-7, rtol: 5e-7);
        AssertMaxMatches(g, input, planes, level);
    }

    private static void AssertMaxMatches(in PoolGeometry g, float[] input, int planes, SimdLevel level)
    {
        SimdLevels.Require(level);
        var expected = new float[planes * g.OutHeight * g.OutWidth];
        var actual = new float[expected.Length + 1];
        actual[^1] = 7f;
        PoolReference.Max(g, input, expected, planes);
        PoolKernel.Max(g, input, actual.AsSpan(0, expected.Length), planes, level);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual[..^1].Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(7f, actual[^1]);
    }

    [SkippableTheory]
    [InlineData(7, 3, 2, 0, false, 3)]
    [InlineData(7, 3, 2, 0, true, 3)]
    [InlineData(6, 3, 2, 0, true, 3)]
    [InlineData(6, 2, 2, 1, true, 4)]
    [InlineData(5, 3, 2, 1, false, 3)]
    public void OutputSizeFollowsOnnx(int input, int kernel, int stride, int pad, bool ceil, int expected) =>
        Assert.Equal(expected, PoolGeometry.OutputSize(input, kernel, stride, pad, pad, 1, ceil));

    [SkippableFact]
    public void MaxPoolOfAKnownPlane()
    {
        var g = new PoolGeometry(3, 3, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0);
        float[] input = [1, 2, 3, 4, 9, 6, 7, 8, 5];
        var output = new float[4];
        PoolKernel.Max(g, input, output, 1);
        Assert.Equal([9f, 9, 9, 9], output);
    }

    [SkippableFact]
    public void AveragePoolCountsOnlyRealCellsUnlessAsked()
    {
        var g = new PoolGeometry(2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0);
        float[] input = [4, 4, 4, 4];
        var output = new float[4];
        PoolKernel.Average(g, input, output, 1, countIncludePad: false);
        Assert.Equal([4f, 4, 4, 4], output);
        PoolKernel.Average(g, input, output, 1, countIncludePad: true);
        Assert.Equal([1f, 2, 2, 4], output);
    }
}
