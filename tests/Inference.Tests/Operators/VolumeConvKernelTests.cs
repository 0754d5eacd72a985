using ConvService.Inference.Operators.VolumeConv;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

/// <summary>3-D convolution through im2col and GEMM, at every SIMD level, against the tap-by-tap reference.</summary>
public sealed class VolumeConvKernelTests
{
    public static TheoryData<SimdLevel, int, int, int, int, int> Cases()
    {
        var data = new TheoryData<SimdLevel, int, int, int, int, int>();
        foreach (var level in Enum.GetValues<SimdLevel>())
        {
            // groups, kernel, stride, dilation, pad
            data.Add(level, 1, 3, 1, 1, 1);
            data.Add(level, 2, 3, 2, 1, 0);
            data.Add(level, 4, 2, 1, 2, 1);
            data.Add(level, 1, 1, 1, 1, 0);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReference(SimdLevel level, int groups, int k, int s, int d, int p)
    {
        SimdLevels.Require(level);
        int[] inSize = [5, 6, 7];
        var outSize = inSize.Select(n => ((n + (2 * p) - (((k - 1) * d) + 1)) / s) + 1).ToArray();
        var g = new VolumeConvGeometry(4, 8, groups, inSize, outSize, [k, k, k], [s, s, s], [d, d, d], [p, p, p]);
        const int batch = 2;
        var input = Accuracy.Random(batch * 4 * g.InPlane, seed: 31);
        var weights = Accuracy.Random(8 * g.ColumnRows, seed: 32);
        var bias = Accuracy.Random(8, seed: 33);
        var expected = new float[batch * 8 * g.OutPlane];
        var actual = new float[expected.Length];
        VolumeConvReference.Run(g, input, weights, bias, expected, batch);
        var kernel = new VolumeConvKernel(g, weights, bias);
        kernel.Run(input, actual, batch, new float[kernel.ScratchFloats], 1, level);
        Accuracy.AssertClose(expected, actual, 1e-5);
    }
}
