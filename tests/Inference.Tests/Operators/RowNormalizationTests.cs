using ConvService.Inference.Operators.Normalization;
using ConvService.Inference.Operators.Softmax;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

/// <summary>Row statistics, the per-element normalisation and LogSoftmax against their scalar definitions.</summary>
public sealed class RowNormalizationTests
{
    public static TheoryData<SimdLevel> Levels()
    {
        var data = new TheoryData<SimdLevel>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            data.Add(level);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void MomentsOfEveryLength(SimdLevel level)
    {
        SimdLevels.Require(level);
        for (var length = 1; length <= 33; length++)
        {
            // An offset far from zero: a one-pass variance would lose it to cancellation.
            var row = Array.ConvertAll(Accuracy.Random(length, seed: length), v => v + 1000f);
            var (mean, variance) = RowNormalization.Moments(row, level);
            var (expectedMean, expectedVariance) = RowNormalization.MomentsReference(row);
            Assert.Equal(expectedMean, mean, 1e-3f);
            Assert.True(Math.Abs(expectedVariance - variance) <= 1e-3 * Math.Max(expectedVariance, 1e-3), $"length {length}: variance {variance} against {expectedVariance}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void ElementwiseNormalizationOfEveryLength(SimdLevel level)
    {
        SimdLevels.Require(level);
        for (var length = 0; length <= 33; length++)
        {
            var row = Accuracy.Random(length, seed: length);
            var scale = Accuracy.Random(length, seed: length + 50);
            var bias = Accuracy.Random(length, seed: length + 90);
            var actual = new float[length + 1];
            actual[length] = 123f;
            RowNormalization.NormalizeElementwise(row, actual.AsSpan(0, length), 0.25f, 1.5f, scale, bias, level);
            Assert.Equal(123f, actual[length]);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(((row[i] - 0.25f) * 1.5f * scale[i]) + bias[i], actual[i]);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void LogSoftmaxOfEveryLength(SimdLevel level)
    {
        SimdLevels.Require(level);
        for (var length = 1; length <= 33; length++)
        {
            var input = Accuracy.Random(2 * length, seed: length, bound: 20f);
            input[0] = float.NegativeInfinity;
            var expected = new float[input.Length];
            SoftmaxVariants.LogSoftmaxReference(input, expected, 2, length, 1);
            var actual = new float[input.Length];
            SoftmaxVariants.LogSoftmax(input, actual, 2, length, 1, level);
            for (var i = 0; i < input.Length; i++)
            {
                Assert.True(expected[i].Equals(actual[i]) || Math.Abs(expected[i] - actual[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected[i])), $"length {length} at {i}: {actual[i]} against {expected[i]}");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void SoftmaxOfEveryLength(SimdLevel level)
    {
        SimdLevels.Require(level);
        for (var length = 1; length <= 33; length++)
        {
            var input = Accuracy.Random(2 * length, seed: length, bound: 20f);
            input[^1] = length > 1 ? float.NegativeInfinity : input[^1];
            var expected = new float[input.Length];
            SoftmaxKernel.Reference(input, expected, 2, length, 1);
            var actual = new float[input.Length];
            SoftmaxVariants.Softmax(input, actual, 2, length, 1, level);
            for (var i = 0; i < input.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-6 * Math.Max(1e-3, expected[i]), $"length {length} at {i}: {actual[i]} against {expected[i]}");
            }
        }
    }
}
