using ConvService.Inference.Operators.Reduction;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

/// <summary>Reduction plans against the definition computed in double, at every SIMD level.</summary>
public sealed class ReductionKernelTests
{
    public static TheoryData<SimdLevel, ReductionKind, int[], int[]> Cases()
    {
        var data = new TheoryData<SimdLevel, ReductionKind, int[], int[]>();
        (int[] Shape, int[] Axes)[] layouts =
        [
            ([2, 3, 5, 7], [2, 3]),
            ([2, 3, 5, 7], [1]),
            ([2, 3, 5, 7], [0, 2]),
            ([2, 3, 5, 7], [1, 3]),
            ([2, 3, 5, 7], [0, 1, 2, 3]),
            ([2, 3, 5, 7], []),
            ([4, 1, 35], [0]),
            ([3, 0, 2], [1]),
            ([1, 1], [0, 1]),
        ];
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var kind in Enum.GetValues<ReductionKind>())
            {
                foreach (var (shape, axes) in layouts)
                {
                    data.Add(level, kind, shape, axes);
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void MatchesTheDefinition(SimdLevel level, ReductionKind kind, int[] shape, int[] axes)
    {
        SimdLevels.Require(level);
        var input = Input(kind, shape.Aggregate(1, (p, d) => p * d), seed: 3);
        Check(level, kind, shape, axes.ToHashSet(), input);
    }

    /// <summary>Rows of every length to two 512-bit vectors and one more, reduced along them and across them.</summary>
    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector512)]
    public void EveryRowLength(SimdLevel level)
    {
        SimdLevels.Require(level);
        foreach (var kind in Enum.GetValues<ReductionKind>())
        {
            for (var length = 1; length <= 33; length++)
            {
                var input = Input(kind, 3 * length, seed: length);
                Check(level, kind, [3, length], [1], input);
                Check(level, kind, [3, length], [0], input);
            }
        }
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector512)]
    public void NaNAndInfinityPropagate(SimdLevel level)
    {
        SimdLevels.Require(level);
        var input = Accuracy.Random(2 * 40, seed: 1);
        input[17] = float.NaN;
        input[40 + 33] = float.PositiveInfinity;
        var plan = ReductionPlan.Create([2, 40], new HashSet<int> { 1 });
        foreach (var kind in new[] { ReductionKind.Max, ReductionKind.Min, ReductionKind.Sum, ReductionKind.LogSumExp })
        {
            var output = new float[2];
            plan.Execute(kind, input, output, new float[2], level);
            Assert.True(float.IsNaN(output[0]), $"{kind} row 0 is {output[0]}");
            Assert.True(kind == ReductionKind.Min ? float.IsFinite(output[1]) : float.IsPositiveInfinity(output[1]), $"{kind} row 1 is {output[1]}");
        }
    }

    private static void Check(SimdLevel level, ReductionKind kind, int[] shape, HashSet<int> axes, float[] input)
    {
        SimdLevels.Require(level);
        var expected = ReductionPlan.Reference(kind, shape, input, axes);
        var plan = ReductionPlan.Create(shape, axes);
        var actual = new float[plan.OutputLength + 1];
        actual[^1] = 123f;
        plan.Execute(kind, input, actual.AsSpan(0, plan.OutputLength), new float[plan.ScratchFloats(kind)], level);
        Assert.Equal(123f, actual[^1]);
        Assert.Equal(expected.Length, plan.OutputLength);
        for (var i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.True(e.Equals(a) || Math.Abs(e - (double)a) <= 2e-6 * Math.Max(1, Math.Abs(e)), $"{kind} {string.Join("x", shape)} over [{string.Join(",", axes)}] at {i}: expected {e:R}, got {a:R}");
        }
    }

    private static float[] Input(ReductionKind kind, int count, int seed)
    {
        var values = Accuracy.Random(count, seed, bound: 2f);
        return kind switch
        {
            ReductionKind.LogSum => Array.ConvertAll(values, v => MathF.Abs(v) + 0.1f),
            ReductionKind.Prod => Array.ConvertAll(values, v => 0.8f + (v / 10f)),
            _ => values,
        };
    }
}
