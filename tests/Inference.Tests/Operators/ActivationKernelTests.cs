using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Activations;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

public sealed class ActivationKernelTests
{
    public static TheoryData<SimdLevel, ActivationKind, int> Cases()
    {
        var data = new TheoryData<SimdLevel, ActivationKind, int>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var kind in Enum.GetValues<ActivationKind>())
            {
                foreach (var n in new[] { 1, 7, 8, 9, 15, 16, 17, 33, 100 })
                {
                    data.Add(level, kind, n);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Piecewise-linear activations are exact up to float rounding of the inputs' products; Sigmoid and Tanh run the
    /// vector exp, stated within 2 ulp, so they are held to 4e-7 absolute plus 2e-6 relative.
    /// </summary>
    private static double Tolerance(ActivationKind kind, double expected) =>
        kind is ActivationKind.Sigmoid or ActivationKind.Tanh ? 4e-7 + (2e-6 * Math.Abs(expected)) : 1e-6 + (1e-6 * Math.Abs(expected));

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryPathMatchesAnIndependentDefinition(SimdLevel level, ActivationKind kind, int length)
    {
        SimdLevels.Require(level);
        var alpha = kind == ActivationKind.Clip ? -0.5f : 0.3f;
        var beta = kind == ActivationKind.Clip ? 0.7f : 0.4f;
        var input = Accuracy.Random(length, seed: length, bound: 5f);

        // One extra guard element must stay untouched: no path may write past the span.
        var actual = new float[length + 1];
        actual[length] = 123f;
        ActivationKernel.Apply(input, actual.AsSpan(0, length), new FusedActivation(kind, alpha, beta), level);

        Assert.Equal(123f, actual[length]);
        for (var i = 0; i < length; i++)
        {
            var expected = IndependentActivations.Apply(kind, alpha, beta, input[i]);
            Assert.True(Math.Abs(actual[i] - expected) <= Tolerance(kind, expected), $"{kind}({input[i]}) at {i}: {actual[i]} against {expected}");
        }
    }

    public static TheoryData<SimdLevel, ActivationKind> SmoothCases()
    {
        var data = new TheoryData<SimdLevel, ActivationKind>();
        foreach (var level in SimdLevels.All)
        {
            data.Add(level, ActivationKind.Sigmoid);
            data.Add(level, ActivationKind.Tanh);
        }

        return data;
    }

    /// <summary>Sigmoid and Tanh over their whole useful range, tiny inputs, overflow and NaN, at every level.</summary>
    [SkippableTheory]
    [MemberData(nameof(SmoothCases))]
    public void SigmoidAndTanhHoldAcrossTheirRange(SimdLevel level, ActivationKind kind)
    {
        SimdLevels.Require(level);
        var input = new List<float> { 0f, -0f, 1e-30f, -1e-30f, 1e-7f, -3e-5f, 0.624f, 0.626f, -0.625f, 88f, -88f, 89f, -89f, 200f, -200f, float.PositiveInfinity, float.NegativeInfinity };
        for (var x = -30f; x <= 30f; x += 0.0137f)
        {
            input.Add(x);
        }

        var values = input.ToArray();
        var actual = new float[values.Length];
        ActivationKernel.Apply(values, actual, new FusedActivation(kind), level);
        for (var i = 0; i < values.Length; i++)
        {
            var expected = IndependentActivations.Apply(kind, 0, 0, values[i]);
            Assert.True(Math.Abs(actual[i] - expected) <= Tolerance(kind, expected), $"{kind}({values[i]}): {actual[i]} against {expected}");
        }

        var nan = new float[33];
        Array.Fill(nan, float.NaN);
        ActivationKernel.Apply(nan, nan, new FusedActivation(kind), level);
        Assert.All(nan, v => Assert.True(float.IsNaN(v)));
    }

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void InPlaceApplicationWorks(SimdLevel level)
    {
        SimdLevels.Require(level);
        var values = Accuracy.Random(37, seed: 1);
        var expected = values.Select(v => v >= 0 ? v : 0.1f * v).ToArray();
        ActivationKernel.Apply(values, values, new FusedActivation(ActivationKind.LeakyRelu, 0.1f), level);
        Assert.Equal(expected, values);
    }

    public static TheoryData<SimdLevel> Levels() => new(SimdLevels.All);

    [SkippableFact]
    public void ALevelTheCpuDoesNotAccelerateIsRefusedNotRunNarrower()
    {
        Skip.If(SimdCapabilities.Best == SimdLevel.Vector512, "This CPU accelerates every level, so there is none to refuse.");
        var values = new float[40];
        var refusal = Assert.Throws<PlatformNotSupportedException>(
            () => ActivationKernel.Apply(values, values, new FusedActivation(ActivationKind.Relu), SimdLevel.Vector512));
        Assert.Contains("Vector512", refusal.Message);
    }
}
