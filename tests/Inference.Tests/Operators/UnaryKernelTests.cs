using ConvService.Inference.Operators.Unary;
using ConvService.Inference.Simd;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

/// <summary>Every element-wise function's vector paths against its scalar definition, over odd lengths and special values.</summary>
public sealed class UnaryKernelTests
{
    /// <summary>Lengths 0 to two 512-bit vectors and one more.</summary>
    private const int MaxLength = 33;

    public static TheoryData<SimdLevel, UnaryKind> Cases()
    {
        var data = new TheoryData<SimdLevel, UnaryKind>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            foreach (var kind in Enum.GetValues<UnaryKind>())
            {
                data.Add(level, kind);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryLengthMatchesTheScalarDefinition(SimdLevel level, UnaryKind kind)
    {
        SimdLevels.Require(level);
        var function = Function(kind);
        for (var length = 0; length <= MaxLength; length++)
        {
            var input = Accuracy.Random(length, seed: length + 100, bound: 6f);
            var expected = new float[length];
            UnaryKernel.Reference(input, expected, function);

            // A guard element after the span must stay untouched.
            var actual = new float[length + 1];
            actual[length] = 123f;
            UnaryKernel.Apply(input, actual.AsSpan(0, length), function, level);

            Assert.Equal(123f, actual[length]);
            AssertAgree(kind, expected, actual.AsSpan(0, length), $"length {length}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void SpecialValuesMatchTheScalarDefinition(SimdLevel level, UnaryKind kind)
    {
        SimdLevels.Require(level);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-40f, -1e-40f, 1e30f, -1e30f, 88.7f, -103f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 1f, -1f, 20.5f, -20.5f];
        var input = new float[MaxLength];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = special[(i * 7) % special.Length];
        }

        var function = Function(kind);
        var expected = new float[input.Length];
        UnaryKernel.Reference(input, expected, function);
        var actual = new float[input.Length];
        UnaryKernel.Apply(input, actual, function, level);
        AssertAgree(kind, expected, actual, "special values");
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void InPlaceMatchesOutOfPlace(SimdLevel level, UnaryKind kind)
    {
        SimdLevels.Require(level);
        var function = Function(kind);
        var input = Accuracy.Random(37, seed: 5, bound: 4f);
        var expected = new float[input.Length];
        UnaryKernel.Apply(input, expected, function, level);
        UnaryKernel.Apply(input, input, function, level);
        Assert.Equal(expected, input);
    }

    [SkippableFact]
    public void RoundGoesHalfToEven()
    {
        float[] input = [0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 3.5f, 4.5f, 0.49999997f, 5.5f, 6.5f, 7.5f, 8.5f, 9.5f, 10.5f, 11.5f, 12.5f];
        float[] expected = [0f, 2f, 2f, -0f, -2f, -2f, 4f, 4f, 0f, 6f, 6f, 8f, 8f, 10f, 10f, 12f, 12f];
        foreach (var level in SimdLevels.Accelerated)
        {
            var actual = new float[input.Length];
            UnaryKernel.Apply(input, actual, new UnaryFunction(UnaryKind.Round), level);
            Assert.Equal(expected, actual);
        }
    }

    private static UnaryFunction Function(UnaryKind kind) => kind switch
    {
        UnaryKind.Selu => new UnaryFunction(kind, 1.6732632f, 1.050701f),
        UnaryKind.Shrink => new UnaryFunction(kind, 0.5f, 0.25f),
        UnaryKind.Affine => new UnaryFunction(kind, 0.75f, -0.5f),
        _ => new UnaryFunction(kind, 0.8f),
    };

    /// <summary>
    /// Exact functions must agree bit for bit (NaN with NaN). Vector Exp, Log, Sin and Cos come from
    /// System.Runtime.Intrinsics and agree with MathF within a few units in the last place; Erf's vector form is a
    /// polynomial with absolute error below 5e-7; the functions built from them inherit those bounds.
    /// </summary>
    private static void AssertAgree(UnaryKind kind, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string where)
    {
        var (relative, absolute) = Tolerance(kind);
        for (var i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) || float.IsNaN(a) || relative == 0)
            {
                Assert.True(e.Equals(a) && (relative != 0 || float.IsNaN(e) || BitConverter.SingleToInt32Bits(e) == BitConverter.SingleToInt32Bits(a)), $"{kind} {where} at {i}: expected {e:R}, got {a:R}");
                continue;
            }

            if (float.IsInfinity(e) || float.IsInfinity(a))
            {
                Assert.True(e == a || Math.Abs(e - (double)a) <= relative * Math.Abs(e), $"{kind} {where} at {i}: expected {e:R}, got {a:R}");
                continue;
            }

            var error = Math.Abs(e - (double)a);
            Assert.True(error <= absolute + (relative * Math.Abs(e)), $"{kind} {where} at {i}: expected {e:R}, got {a:R} (error {error:E2})");
        }
    }

    private static (double Relative, double Absolute) Tolerance(UnaryKind kind) => kind switch
    {
        UnaryKind.Exp or UnaryKind.Log or UnaryKind.Sin or UnaryKind.Cos => (4e-7, 1e-30),
        UnaryKind.ScaledExp => (6e-7, 1e-30),
        UnaryKind.Elu or UnaryKind.Selu or UnaryKind.Celu => (4e-7, 2e-7),
        UnaryKind.Erf => (1e-6, 5e-7),
        UnaryKind.Gelu => (1e-6, 1e-6),
        UnaryKind.Softplus or UnaryKind.Mish => (1e-6, 1e-30),

        // Far into the negative tail (results below 1e-3) the float rounding of the tanh argument shows.
        UnaryKind.GeluTanh => (4e-6, 1e-30),
        _ => (0, 0),
    };
}
