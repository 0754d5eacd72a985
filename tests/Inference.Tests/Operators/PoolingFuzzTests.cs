using ConvService.Inference.Operators.Pooling;
using ConvService.Inference.Tests.Kernels;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Operators;

/// <summary>
/// Random pooling windows (kernels 1-7, strides 1-4, pads up to kernel - 1, dilations 1-3, ceil_mode, widths up to
/// 199) at every SIMD level against the reference: max bit for bit, average within 1e-5, guards after the output.
/// </summary>
public sealed class PoolingFuzzTests
{
    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector512)]
    public void RandomWindowsMatchTheReference(SimdLevel level)
    {
        SimdLevels.Require(level);
        var random = new Random(77 + (int)level);
        for (var iter = 0; iter < 600; iter++)
        {
            var h = random.Next(1, 24);
            var w = random.Next(1, level == SimdLevel.Vector512 ? 200 : 70);
            int kh = random.Next(1, 8), kw = random.Next(1, 8), sh = random.Next(1, 5), sw = random.Next(1, 5);
            int pt = random.Next(0, kh), pb = random.Next(0, kh), pl = random.Next(0, kw), pr = random.Next(0, kw);
            var ceil = random.Next(2) == 0;
            var d = random.Next(1, 4);
            var outH = PoolGeometry.OutputSize(h, kh, sh, pt, pb, d, ceil);
            var outW = PoolGeometry.OutputSize(w, kw, sw, pl, pr, d, ceil);
            if (outH < 1 || outW < 1)
            {
                continue;
            }

            var g = new PoolGeometry(h, w, outH, outW, kh, kw, sh, sw, pt, pl, pb, pr, d, d);
            var planes = random.Next(1, 4);
            var input = KernelTestData.Uniform(iter, planes * h * w);
            var expected = new float[planes * outH * outW];
            var actual = Enumerable.Repeat(KernelTestData.Guard, expected.Length + 17).ToArray();
            var context = $"iter {iter} {g} ceil {ceil} planes {planes}";
            PoolReference.Max(g, input, expected, planes);
            PoolKernel.Max(g, input, actual.AsSpan(0, expected.Length), planes, level);
            Assert.True(expected.AsSpan().SequenceEqual(actual.AsSpan(0, expected.Length)), context + " max");
            KernelTestData.AssertGuards(actual.AsSpan(expected.Length), context + " max tail");
            if (d == 1)
            {
                foreach (var cip in new[] { false, true })
                {
                    PoolReference.Average(g, input, expected, planes, cip);
                    PoolKernel.Average(g, input, actual.AsSpan(0, expected.Length), planes, cip, level);
                    KernelTestData.AssertClose(expected, actual.AsSpan(0, expected.Length), 1e-5f, context + $" avg {cip}");
                    KernelTestData.AssertGuards(actual.AsSpan(expected.Length), context + " avg tail");
                }
            }
        }
    }
}
