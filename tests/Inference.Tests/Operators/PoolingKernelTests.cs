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

    [Theory]
    [MemberData(nameof(Sizes))]
    public void GlobalPoolsMatchTheReference(SimdLevel level, int planeSize)
    {
        const int planes = 5;
        var input = Accuracy.Random(planes * planeSize, seed: planeSize);
        var expected = new float[planes];
        var actual = new float[planes];

        GlobalPoolReference.Average(input, expected, planes, planeSize);
        GlobalPoolKernel.Average(input, actual, planes, planeSize, level);
        Accuracy.AssertClose(expected, actual, 1e-6);

        GlobalPoolReference.Max(input, expected, planes, planeSize);
        GlobalPoolKernel.Max(input, actual, planes, planeSize, level);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ChannelAffineMatchesTheReference(SimdLevel level, int planeSize)
    {
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

    [Theory]
    [MemberData(nameof(Windows))]
    public void WindowPoolsMatchTheReference(SimdLevel level, int height, int width, int kernel, int stride, int pad, int dilation, bool ceil)
    {
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
            Accuracy.AssertClose(expected, actual.AsSpan(0, expected.Length), 1e-6);
        }

        Assert.Equal(7f, actual[^1]);
    }

    [Theory]
    [InlineData(7, 3, 2, 0, false, 3)]
    [InlineData(7, 3, 2, 0, true, 3)]
    [InlineData(6, 3, 2, 0, true, 3)]
    [InlineData(6, 2, 2, 1, true, 4)]
    [InlineData(5, 3, 2, 1, false, 3)]
    public void OutputSizeFollowsOnnx(int input, int kernel, int stride, int pad, bool ceil, int expected) =>
        Assert.Equal(expected, PoolGeometry.OutputSize(input, kernel, stride, pad, pad, 1, ceil));

    [Fact]
    public void MaxPoolOfAKnownPlane()
    {
        var g = new PoolGeometry(3, 3, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0);
        float[] input = [1, 2, 3, 4, 9, 6, 7, 8, 5];
        var output = new float[4];
        PoolKernel.Max(g, input, output, 1);
        Assert.Equal([9f, 9, 9, 9], output);
    }

    [Fact]
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
