namespace ConvService.Inference.Tests.TestSupport;

/// <summary>
/// Compares tensors element by element against atol + rtol·|expected|, as numpy.allclose does, naming the first
/// element out of bounds.
/// </summary>
internal static class Accuracy
{
    /// <summary>
    /// The bar of most oracle comparisons: <paramref name="tolerance"/> both absolute and relative, so a value of
    /// order one may differ by about <paramref name="tolerance"/> and a large one by that fraction of itself. The
    /// inputs of these tests are of order one, so a rounding difference in a sum that cancels to near zero stays
    /// within the absolute part.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance = 1e-4) =>
        AssertElementwiseClose(expected, actual, tolerance, tolerance);

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
