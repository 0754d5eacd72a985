using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Softmax;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

public sealed class SoftmaxKernelTests
{
    public static TheoryData<SimdLevel, int, int> Cases()
    {
        var data = new TheoryData<SimdLevel, int, int>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var axis in new[] { 1, 7, 8, 9, 15, 16, 17, 1000 })
            {
                foreach (var inner in new[] { 1, 3 })
                {
                    data.Add(level, axis, inner);
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryPathMatchesTheScalarDefinition(SimdLevel level, int axis, int inner)
    {
        SimdLevels.Require(level);
        const int outer = 2;
        var input = Accuracy.Random(outer * axis * inner, seed: axis, bound: 8f);
        var expected = new float[input.Length];
        var actual = new float[input.Length + 1];
        actual[^1] = 42f;
        SoftmaxKernel.Reference(input, expected, outer, axis, inner);
        SoftmaxKernel.Run(input, actual.AsSpan(0, input.Length), outer, axis, inner, level);
        Assert.Equal(42f, actual[^1]);
        Assert.Equal(expected, actual[..^1]);
    }
}
