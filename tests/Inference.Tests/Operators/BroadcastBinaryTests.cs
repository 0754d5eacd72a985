using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Elementwise;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

public sealed class BroadcastBinaryTests
{
    public static TheoryData<SimdLevel, BinaryKind, int[], int[]> Cases()
    {
        int[][][] shapes =
        [
            [[1], [1]],
            [[17], [17]],
            [[2, 3, 5, 7], [3, 1, 1]],
            [[2, 3, 5, 7], [7]],
            [[2, 1, 5, 1], [1, 3, 1, 9]],
            [[1, 33], [1]],
            [[15], [2, 1, 15]],
            [[4, 16, 1], [4, 16, 17]],
        ];
        var data = new TheoryData<SimdLevel, BinaryKind, int[], int[]>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var kind in Enum.GetValues<BinaryKind>())
            {
                foreach (var pair in shapes)
                {
                    data.Add(level, kind, pair[0], pair[1]);
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void MatchesTheIndexByIndexDefinition(SimdLevel level, BinaryKind kind, int[] aShape, int[] bShape)
    {
        SimdLevels.Require(level);
        var a = Accuracy.Random(aShape.Aggregate(1, (p, d) => p * d), seed: 1);
        var b = Accuracy.Random(bShape.Aggregate(1, (p, d) => p * d), seed: 2).Select(v => v + 3f).ToArray();
        var expected = BroadcastBinaryReference.Run(kind, aShape, a, bShape, b);
        var plan = BroadcastBinary.Create(aShape, bShape)!;
        var actual = new float[expected.Length];
        plan.Execute(kind, a, b, actual, level);
        Assert.Equal(expected, actual);
    }

    [SkippableFact]
    public void IncompatibleShapesAreRejected() => Assert.Null(BroadcastBinary.Create([2, 3], [4]));
}
