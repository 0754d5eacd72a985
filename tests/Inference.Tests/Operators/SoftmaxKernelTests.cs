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

    /// <summary>The vector exp is within 2 ulp, and a float sum of 1000 terms loses up to about 1e-6 more: 4e-6 relative per element, plus a 1e-9 floor.</summary>
    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryPathMatchesAnIndependentDefinition(SimdLevel level, int axis, int inner)
    {
        SimdLevels.Require(level);
        const int outer = 2;
        var input = Accuracy.Random(outer * axis * inner, seed: axis, bound: 8f);
        var expected = IndependentActivations.Softmax(input, outer, axis, inner);
        var actual = new float[input.Length + 1];
        actual[^1] = 42f;
        SoftmaxKernel.Run(input, actual.AsSpan(0, input.Length), outer, axis, inner, level);
        Assert.Equal(42f, actual[^1]);
        for (var i = 0; i < input.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-9 + (4e-6 * expected[i]), $"at {i}: {actual[i]} against {expected[i]}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void InPlaceRunsGiveTheSameResult(SimdLevel level, int axis, int inner)
    {
        SimdLevels.Require(level);
        const int outer = 2;
        var input = Accuracy.Random(outer * axis * inner, seed: axis + 1, bound: 8f);
        var separate = new float[input.Length];
        SoftmaxKernel.Run(input, separate, outer, axis, inner, level);
        SoftmaxKernel.Run(input, input, outer, axis, inner, level);
        Assert.Equal(separate, input);
    }
}
