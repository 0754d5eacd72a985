using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Operators.Activations;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Kernels.Conv;

/// <summary>
/// The interleave that writes Winograd's tile columns into an output row, at every level and for every pair count
/// up to past two 512-bit vectors (so each width's loop takes a share, down to the scalar tail), against its
/// definition: dest[2k] = left[k], dest[2k + 1] = right[k], or activation(value + residual) with a residual.
/// ReLU and Clip are exact at every width, so the values must be equal.
/// </summary>
public sealed unsafe class WinogradInterleaveTests
{
    public static TheoryData<SimdLevel, bool> Levels()
    {
        var data = new TheoryData<SimdLevel, bool>();
        foreach (var level in SimdLevels.All)
        {
            data.Add(level, false);
            data.Add(level, true);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void InterleaveMatchesItsDefinition(SimdLevel level, bool withResidual)
    {
        SimdLevels.Require(level);
        var random = new Random(withResidual ? 11 : 12);
        foreach (var activation in new[] { FusedActivation.Relu, new FusedActivation(ActivationKind.Clip, -0.5f, 0.5f) })
        {
            for (var count = 0; count <= 37; count++)
            {
                var left = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                var right = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                var residual = Enumerable.Range(0, 2 * count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                var expected = new float[(2 * count) + 1];
                for (var k = 0; k < count; k++)
                {
                    expected[2 * k] = withResidual ? activation.Apply(left[k] + residual[2 * k]) : left[k];
                    expected[(2 * k) + 1] = withResidual ? activation.Apply(right[k] + residual[(2 * k) + 1]) : right[k];
                }

                // One guard value past the row: nothing may be written there.
                var actual = new float[(2 * count) + 1];
                actual[^1] = expected[^1] = 42f;
                fixed (float* l = left, r = right, d = actual, res = residual)
                {
                    WinogradTransforms.Interleave(level, l, r, d, count, withResidual ? res : null, activation);
                }

                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{level}, {count} pairs, {activation.Kind}, residual {withResidual}");
            }
        }
    }
}
