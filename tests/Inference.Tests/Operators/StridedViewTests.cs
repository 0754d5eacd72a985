using ConvService.Inference.Operators.Tensors;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

public sealed class StridedViewTests
{
    public static TheoryData<int[], int[], int> Views() => new()
    {
        { [2, 3, 4], [12, 4, 1], 0 },
        { [2, 2, 3], [12, 8, 2], 1 },
        { [3, 4], [0, 1], 0 },
        { [4, 3], [1, 0], 2 },
        { [2, 3, 2, 4, 3], [24, 0, 12, 3, 1], 0 },
        { [1, 2, 3, 2, 4, 2], [48, 8, 4, 24, 1, 12], 0 },
        { [3, 1, 5], [-5, 7, -1], 19 },
        { [0, 3], [3, 1], 0 },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public void MergedAxesReadWhatTheElementByElementDefinitionReads(int[] shape, int[] strides, int offset)
    {
        var input = Accuracy.Random(64, seed: 4);
        var count = shape.Aggregate(1, (p, d) => p * d);
        var expected = new float[count];
        var actual = new float[count];
        StridedView.Reference(input, expected, shape, strides, offset);
        new StridedView(shape, strides, offset).Run(input, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ContiguousAxesMergeIntoOneCopy()
    {
        Assert.Equal(1, new StridedView([2, 3, 4], [12, 4, 1], 0).Rank);
        Assert.Equal(2, new StridedView([2, 3, 4], [24, 4, 1], 0).Rank);
    }
}
