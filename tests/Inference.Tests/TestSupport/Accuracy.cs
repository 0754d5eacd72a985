namespace ConvService.Inference.Tests.TestSupport;

/// <summary>
/// Compares tensors. <see cref="AssertElementwiseClose"/> checks every element against atol + rtol·|expected|, as
/// numpy.allclose does. <see cref="AssertClose"/> is the older bar relative to the largest magnitude of the expected
/// tensor (the largest absolute difference divided by max|expected|); it stays where a test means exactly that, a
/// result whose elements include values near zero by chance (sums of signed products), where an element's own size
/// says nothing about its rounding error.
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

    /// <summary>Fails on the first element where |actual - expected| exceeds <paramref name="atol"/> + <paramref name="rtol"/>·|expected|, or on a NaN.</summary>
    public static void AssertElementwiseClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var bound = atol + (rtol * Math.Abs((double)expected[i]));
            var difference = Math.Abs((double)expected[i] - actual[i]);
            Assert.False(float.IsNaN(actual[i]) && !float.IsNaN(expected[i]), $"NaN at {i}");
            Assert.True(
                difference <= bound || expected[i].Equals(actual[i]),
                $"element {i}: expected {expected[i]:G9}, got {actual[i]:G9}, difference {difference:E3} exceeds {atol:E1} + {rtol:E1}·|expected|");
        }
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
