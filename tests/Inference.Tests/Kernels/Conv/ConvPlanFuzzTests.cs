using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Tests.TestSupport;

namespace ConvService.Inference.Tests.Kernels.Conv;

/// <summary>
/// Random geometries (groups, odd channel counts around the 32-channel panel, kernels 1-4, strides 1-3, dilations,
/// uneven pads), batches, thread counts and SIMD levels, with and without a residual, against the reference; output
/// and scratch guards catch any write past the spans.
/// </summary>
public sealed class ConvPlanFuzzTests
{
    public static TheoryData<ConvAlgorithm, int, SimdLevel> Runs()
    {
        var data = new TheoryData<ConvAlgorithm, int, SimdLevel>();
        (ConvAlgorithm, int)[] runs =
        [
            (ConvAlgorithm.ChannelVectorDirect, 0), (ConvAlgorithm.ChannelVectorDirect, 1), (ConvAlgorithm.ChannelVectorDirect, 2),
            (ConvAlgorithm.ChannelVectorGemm, 3), (ConvAlgorithm.ImplicitGemm, 4),
        ];
        foreach (var (algorithm, seed) in runs)
        {
            foreach (var level in SimdLevels.All)
            {
                data.Add(algorithm, seed, level);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Runs))]
    public void RandomGeometriesMatchTheReference(ConvAlgorithm algorithm, int seed, SimdLevel level)
    {
        SimdLevels.Require(level);
        var random = new Random(1000 + (10 * seed) + (int)level);
        var checkedCount = 0;
        for (var iteration = 0; checkedCount < 14; iteration++)
        {
            var groups = random.Next(1, 3);
            var deep = iteration % 4 == 0;
            var icg = deep ? random.Next(20, 130) : random.Next(1, 20);
            var ocg = new[] { 1, 5, 16, 31, 32, 33, 40, 64, 65 }[random.Next(9)];
            int kh = random.Next(1, 5), kw = random.Next(1, 5);
            int sh = random.Next(1, 4), sw = random.Next(1, 4), dh = random.Next(1, 3), dw = random.Next(1, 3);
            int pt = random.Next(0, 3), pl = random.Next(0, 3), pb = random.Next(0, 3), pr = random.Next(0, 3);
            var h = deep ? random.Next(1, 16) : random.Next(1, 20);
            var w = deep ? random.Next(1, 60) : random.Next(1, 40);
            if (h + pt + pb < dh * (kh - 1) + 1 || w + pl + pr < dw * (kw - 1) + 1)
            {
                continue;
            }

            checkedCount++;
            var g = new ConvGeometry(icg * groups, h, w, ocg * groups, kh, kw, sh, sw, pt, pl, pb, pr, dh, dw, groups);
            var batch = random.Next(1, 4);
            var threads = random.Next(1, 4);
            var addsResidual = random.Next(2) == 0;
            var activation = random.Next(2) == 0 ? FusedActivation.Relu : FusedActivation.None;
            var input = KernelTestData.Uniform(iteration, batch * g.InputSize);
            var weights = KernelTestData.Uniform(iteration + 1, g.WeightCount, 0.5f);
            var bias = iteration % 3 == 0 ? [] : KernelTestData.Uniform(iteration + 2, g.OutChannels);
            var residual = KernelTestData.Uniform(iteration + 3, batch * g.OutputSize);
            var expected = new float[batch * g.OutputSize];
            ConvReference.Run(g, input, weights, bias, FusedActivation.None, expected, batch);
            for (var i = 0; i < expected.Length; i++)
            {
                expected[i] = activation.Apply(expected[i] + (addsResidual ? residual[i] : 0f));
            }

            var plan = ConvPlan.Create(g, weights, bias, activation, threads, level, algorithm, addsResidual);
            const int guard = 37;
            var output = Enumerable.Repeat(KernelTestData.Guard, expected.Length + guard).ToArray();
            var scratchFloats = plan.ScratchFloats(batch);
            var scratch = new float[scratchFloats + guard];
            scratch.AsSpan(0, scratchFloats).Fill(float.NaN);
            scratch.AsSpan(scratchFloats).Fill(KernelTestData.Guard);
            for (var run = 0; run < 2; run++)
            {
                if (addsResidual)
                {
                    plan.Execute(input, residual, output.AsSpan(0, expected.Length), scratch.AsSpan(0, scratchFloats), batch);
                }
                else
                {
                    plan.Execute(input, output.AsSpan(0, expected.Length), scratch.AsSpan(0, scratchFloats), batch);
                }

                var context = $"iteration {iteration}: {g}, batch {batch}, {threads} threads, {level}, residual {addsResidual}";
                KernelTestData.AssertClose(expected, output.AsSpan(0, expected.Length), 2e-6f * (icg * kh * kw + 8), context);
                KernelTestData.AssertGuards(output.AsSpan(expected.Length), context + ", output tail");
                KernelTestData.AssertGuards(scratch.AsSpan(scratchFloats), context + ", scratch tail");
            }
        }
    }

    [SkippableFact]
    public void AResidualOverlappingTheOutputIsRefused()
    {
        var g = new ConvGeometry(4, 6, 6, 32, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        var plan = ConvPlan.Create(g, new float[g.WeightCount], [], FusedActivation.None, 1, SimdCapabilities.Best, ConvAlgorithm.ImplicitGemm, addsResidual: true);
        var output = new float[g.OutputSize];
        var error = Assert.Throws<ArgumentException>(() => plan.Execute(new float[g.InputSize], output, output, new float[plan.ScratchFloats(1)], 1));
        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
    }
}
