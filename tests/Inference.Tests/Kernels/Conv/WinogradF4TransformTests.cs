using System.Runtime.Intrinsics;
using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Operators.Activations;
using ConvService.Inference.Simd;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Kernels.Conv;

/// <summary>
/// Winograd F(4x4, 3x3)'s two data transforms at each vector level against their scalar definitions, lane by lane
/// and to the bit (no activation, ReLU and Clip, which are exact at every width): a vector's tiles must each come
/// out as the scalar transform of that tile alone.
/// </summary>
public sealed unsafe class WinogradF4TransformTests
{
    private const int Elements = WinogradF4Transforms.Elements;

    /// <summary>Floats between two elements' runs: wider than a Vector512, and not a multiple of it.</summary>
    private const int ElementStride = 40;

    public static TheoryData<SimdLevel> Levels() => [SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512];

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void InputTransformGivesTheScalarBits(SimdLevel level)
    {
        SimdLevels.Require(level);
        var lanes = Lanes(level);
        var source = KernelTestData.Uniform(31, Elements * 64, 4f);
        var taps = Enumerable.Range(0, Elements).Select(e => (e * 64) + (e % 3)).ToArray();
        var expected = new float[Elements * ElementStride];
        var actual = new float[Elements * ElementStride];
        var rows = new float[Elements * 16];
        fixed (float* s = source, e = expected, a = actual, r = rows)
        fixed (int* t = taps)
        {
            for (var lane = 0; lane < lanes; lane++)
            {
                WinogradF4Transforms.InputScalar(s + lane, t, e + lane, ElementStride);
            }

            switch (level)
            {
                case SimdLevel.Vector512:
                    WinogradF4Transforms.Input<Vector512<float>, Width512>(s, t, a, ElementStride, r);
                    break;
                case SimdLevel.Vector256:
                    WinogradF4Transforms.Input<Vector256<float>, Width256>(s, t, a, ElementStride, r);
                    break;
                default:
                    WinogradF4Transforms.Input<Vector128<float>, Width128>(s, t, a, ElementStride, r);
                    break;
            }
        }

        Assert.Equal(expected, actual);
    }

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void OutputTransformGivesTheScalarBits(SimdLevel level)
    {
        SimdLevels.Require(level);
        var lanes = Lanes(level);
        const int yStride = 19;
        var products = KernelTestData.Uniform(32, Elements * ElementStride, 3f);
        var columns = new float[Elements * 16];
        foreach (var activation in new[] { FusedActivation.None, FusedActivation.Relu, new FusedActivation(ActivationKind.Clip, -0.5f, 0.5f) })
        {
            foreach (var activate in new[] { false, true })
            {
                var expected = new float[16 * yStride];
                var actual = new float[16 * yStride];
                fixed (float* m = products, e = expected, a = actual, c = columns)
                {
                    for (var lane = 0; lane < lanes; lane++)
                    {
                        WinogradF4Transforms.OutputScalar(m + lane, ElementStride, 0.25f, e + lane, yStride, activate, activation);
                    }

                    switch (level)
                    {
                        case SimdLevel.Vector512:
                            WinogradF4Transforms.Output<Vector512<float>, Width512>(m, ElementStride, 0.25f, a, yStride, activate, activation, c);
                            break;
                        case SimdLevel.Vector256:
                            WinogradF4Transforms.Output<Vector256<float>, Width256>(m, ElementStride, 0.25f, a, yStride, activate, activation, c);
                            break;
                        default:
                            WinogradF4Transforms.Output<Vector128<float>, Width128>(m, ElementStride, 0.25f, a, yStride, activate, activation, c);
                            break;
                    }
                }

                // Lanes past the vector are written by neither.
                Assert.True(expected.SequenceEqual(actual), $"{level}, {activation.Kind}, activate {activate}");
            }
        }
    }

    private static int Lanes(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => 16,
        SimdLevel.Vector256 => 8,
        _ => 4,
    };
}
