using ConvService.Inference.Operators.Pairwise;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

/// <summary>Broadcast layouts against the index-by-index definition, bit for bit, at every SIMD level.</summary>
public sealed class PairwiseKernelTests
{
    public static TheoryData<SimdLevel, PairwiseKind, int[], int[]> Cases()
    {
        var data = new TheoryData<SimdLevel, PairwiseKind, int[], int[]>();
        int[][][] pairs =
        [
            [[33], [33]],
            [[2, 17], [1]],
            [[1], [3, 31]],
            [[2, 3, 4, 5], [3, 1, 1]],
            [[2, 3, 4, 5], [5]],
            [[2, 1, 4, 1], [3, 1, 9]],
            [[4, 1], [1, 35]],
            [[0, 3], [3]],
            [[1, 1], [1, 1]],
        ];
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var kind in Enum.GetValues<PairwiseKind>())
            {
                foreach (var pair in pairs)
                {
                    data.Add(level, kind, pair[0], pair[1]);
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void MatchesTheDefinition(SimdLevel level, PairwiseKind kind, int[] aShape, int[] bShape)
    {
        SimdLevels.Require(level);
        var output = BroadcastLayout.BroadcastShape(aShape, bShape)!;
        var a = Values(aShape, 1, kind);
        var b = Values(bShape, 2, kind);
        var expected = BroadcastLayout.Reference(kind, aShape, a, bShape, b, output);
        var actual = new float[expected.Length + 1];
        actual[^1] = 123f;
        BroadcastLayout.Create(aShape, bShape, output)!.Execute(kind, a, b, actual.AsSpan(0, expected.Length), level);
        Assert.Equal(123f, actual[^1]);
        Assert.Equal(expected, actual[..^1]);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector512)]
    public void MaxAndMinPropagateNaNAndOrderSignedZeros(SimdLevel level)
    {
        SimdLevels.Require(level);
        float[] a = [float.NaN, 1f, -0f, 0f, float.NegativeInfinity, float.NaN, 2f, -0f, .. new float[25]];
        float[] b = [1f, float.NaN, 0f, -0f, float.PositiveInfinity, float.NaN, -2f, -0f, .. new float[25]];
        foreach (var kind in new[] { PairwiseKind.Max, PairwiseKind.Min })
        {
            var expected = BroadcastLayout.Reference(kind, [a.Length], a, [b.Length], b, [a.Length]);
            var actual = new float[a.Length];
            BroadcastLayout.Create([a.Length], [b.Length], [a.Length])!.Execute(kind, a, b, actual, level);
            for (var i = 0; i < a.Length; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(actual[i]));
            }
        }
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector512)]
    public void OutputMayBeTheFirstOperand(SimdLevel level)
    {
        SimdLevels.Require(level);
        int[] shape = [3, 37];
        var a = Accuracy.Random(111, seed: 3);
        var b = Accuracy.Random(37, seed: 4);
        var expected = BroadcastLayout.Reference(PairwiseKind.Add, shape, a, [37], b, shape);
        BroadcastLayout.Create(shape, [37], shape)!.Execute(PairwiseKind.Add, a, b, a, level);
        Assert.Equal(expected, a);
    }

    [SkippableFact]
    public void IncompatibleShapesHaveNoLayout()
    {
        Assert.Null(BroadcastLayout.BroadcastShape([2, 3], [4]));
        Assert.Null(BroadcastLayout.Create([2, 3], [3], [3]));
    }

    private static float[] Values(int[] shape, int seed, PairwiseKind kind)
    {
        var values = Accuracy.Random(shape.Aggregate(1, (p, d) => p * d), seed, bound: 3f);
        return kind == PairwiseKind.Pow && seed == 1 ? Array.ConvertAll(values, v => MathF.Abs(v) + 0.1f) : values;
    }
}
