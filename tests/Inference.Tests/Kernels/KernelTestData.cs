namespace ConvService.Inference.Tests.Kernels;

/// <summary>Deterministic inputs and tolerance checks shared by the kernel tests.</summary>
internal static class KernelTestData
{
    public const float Guard = -12345.5f;

    public static float[] Uniform(int seed, int count, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        }

        return values;
    }

    /// <summary>Fails with the first index whose value differs by more than the absolute plus relative tolerance.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var a = actual[i];
            var allowed = tolerance * (1f + MathF.Abs(e));
            if (!(MathF.Abs(e - a) <= allowed))
            {
                Assert.Fail($"{context}: index {i} expected {e} got {a} (allowed {allowed}).");
            }
        }
    }

    public static void AssertGuards(ReadOnlySpan<float> values, string context)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] != Guard)
            {
                Assert.Fail($"{context}: guard value at {i} was overwritten with {values[i]}.");
            }
        }
    }
}
