using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Tests.Kernels.Conv;

public sealed class ConvGeometryTests
{
    [Theory]
    [InlineData(227, 11, 4, 0, 55)]
    [InlineData(7, 3, 1, 0, 5)]
    [InlineData(7, 3, 2, 0, 3)]
    [InlineData(7, 3, 1, 1, 7)]
    public void OutputSizeFollowsTheLectureFormula(int n, int f, int s, int p, int expected)
    {
        var g = new ConvGeometry(3, n, n, 8, f, f, s, s, p, p, p, p);
        Assert.Equal(expected, g.OutHeight);
        Assert.Equal(expected, g.OutWidth);
    }

    [Fact]
    public void ReferenceConvolutionOfAnImpulseReturnsTheKernel()
    {
        var g = new ConvGeometry(1, 3, 3, 1, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        var input = new float[9];
        input[4] = 1f;
        float[] weights = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var output = new float[9];
        ConvReference.Run(g, input, weights, [], FusedActivation.None, output, 1);

        // Cross-correlation of an impulse gives the kernel rotated by 180 degrees.
        Assert.Equal([9f, 8, 7, 6, 5, 4, 3, 2, 1], output);
    }
}
