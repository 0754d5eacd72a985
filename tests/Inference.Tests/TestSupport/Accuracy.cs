namespace ConvService.Inference.Tests.TestSupport;

/// <summary>
/// Compares tensors by maximum relative error: the largest absolute difference divided by the largest magnitude
/// of the expected tensor (per-element ratios blow up on values that are near zero by chance).
/// </summary>
internal static class Accuracy
{
    public static double MaxRelativeError(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = 0, maxAbs = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.False(float.IsNaN(actual[i]), $"NaN at {i}");
            maxDiff = Math.Max(maxDiff, Math.Abs((double)expected[i] - actual[i]));
            maxAbs = Math.Max(maxAbs, Math.Abs((double)expected[i]));
        }

        return maxDiff / Math.Max(maxAbs, 1e-12);
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance = 1e-4)
    {
        var error = MaxRelativeError(expected, actual);
        Assert.True(error <= tolerance, $"max relative error {error:E3} exceeds {tolerance:E1}");
    }

    public static float[] Random(int count, int seed, float bound = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        }

        return values;
    }
}
