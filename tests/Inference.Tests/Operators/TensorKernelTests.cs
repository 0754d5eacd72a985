using ConvService.Inference.Operators.Normalization;
using ConvService.Inference.Operators.Softmax;
using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Tests.Operators;

public sealed class TensorKernelTests
{
    [Fact]
    public void TransposeOfAMatrix()
    {
        float[] input = [1, 2, 3, 4, 5, 6];
        var output = new float[6];
        TransposeKernel.Run(input, output, [2, 3], [1, 0]);
        Assert.Equal([1f, 4, 2, 5, 3, 6], output);
    }

    [Theory]
    [InlineData(PadMode.Constant, new[] { 9f, 1, 2, 3, 9, 9 })]
    [InlineData(PadMode.Edge, new[] { 1f, 1, 2, 3, 3, 3 })]
    [InlineData(PadMode.Reflect, new[] { 2f, 1, 2, 3, 2, 1 })]
    public void PadModesOnAVector(PadMode mode, float[] expected)
    {
        var output = new float[6];
        PadKernel.Run([1, 2, 3], output, [3], [6], [1], mode, 9f);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void SoftmaxRowsSumToOneAndKeepOrder()
    {
        float[] input = [1, 2, 3, 1000, 1000, 1000];
        var output = new float[6];
        SoftmaxKernel.Run(input, output, 2, 3, 1);
        Assert.Equal(1f, output[0] + output[1] + output[2], 1e-6f);
        Assert.True(output[0] < output[1] && output[1] < output[2]);
        Assert.Equal(1f / 3, output[4], 1e-6f);
    }

    [Fact]
    public void LrnOfASingleChannelFollowsTheFormula()
    {
        var output = new float[1];
        LrnKernel.Run([2f], output, 1, 1, 1, 1, alpha: 1f, beta: 1f, bias: 1f);
        Assert.Equal(2f / 5f, output[0], 1e-6f);
    }

    [Fact]
    public void ConcatAndSplitAreInverse()
    {
        float[] a = [1, 2, 3, 4];
        float[] b = [5, 6];
        var joined = new float[6];
        BlockCopy.Concat(a, 2, joined, 3, 0, 2);
        BlockCopy.Concat(b, 1, joined, 3, 2, 2);
        Assert.Equal([1f, 2, 5, 3, 4, 6], joined);
        var back = new float[2];
        BlockCopy.Split(joined, 3, back, 1, 2, 2);
        Assert.Equal(b, back);
    }
}
