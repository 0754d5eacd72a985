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

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryPathMatchesTheScalarDefinition(SimdLevel level, ActivationKind kind, int length)
    {
        SimdLevels.Require(level);
        var activation = new FusedActivation(kind, kind == ActivationKind.Clip ? -0.5f : 0.3f, kind == ActivationKind.Clip ? 0.7f : 0.4f);
        var input = Accuracy.Random(length, seed: length, bound: 5f);
        var expected = new float[length];
        ActivationReference.Apply(input, expected, activation);

        // One extra guard element must stay untouched: no path may write past the span.
        var actual = new float[length + 1];
        actual[length] = 123f;
        ActivationKernel.Apply(input, actual.AsSpan(0, length), activation, level);

        Assert.Equal(123f, actual[length]);
        for (var i = 0; i < length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6f);
        }
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
