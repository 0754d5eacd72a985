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
