using ConvService.Inference.Errors;
using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Tests.TestSupport;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Tests.Kernels.Conv;

public sealed class ConvPlanTests
{
    private static readonly (string Name, ConvGeometry Geometry, int Batch)[] Cases =
    [
        ("pointwise", new ConvGeometry(17, 7, 9, 33, 1, 1), 2),
        ("pointwise 1x1 image", new ConvGeometry(31, 1, 1, 15, 1, 1), 3),
        ("pointwise wide", new ConvGeometry(16, 5, 33, 8, 1, 1), 1),
        ("3x3 pad 1", new ConvGeometry(16, 15, 17, 16, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 2),
        ("3x3 stride 2", new ConvGeometry(7, 16, 15, 17, 3, 3, 2, 2, 1, 1, 1, 1), 1),
        ("7x7 stride 2 pad 3", new ConvGeometry(3, 33, 31, 64, 7, 7, 2, 2, 3, 3, 3, 3), 1),
        ("asymmetric pads", new ConvGeometry(5, 9, 10, 7, 3, 2, 1, 1, 0, 2, 1, 0), 2),
        ("dilation 2", new ConvGeometry(4, 13, 12, 9, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2), 1),
        ("stride 3 by 2, dilation 1 by 3", new ConvGeometry(3, 17, 16, 8, 5, 4, 3, 2, 1, 0, 2, 1, 1, 3), 2),
        ("groups 2", new ConvGeometry(8, 11, 11, 6, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 2), 2),
        ("depthwise 3x3", new ConvGeometry(32, 17, 33, 32, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 32), 1),
        ("depthwise stride 2", new ConvGeometry(31, 15, 16, 31, 3, 3, 2, 2, 1, 1, 1, 1, Groups: 31), 2),
        ("depthwise multiplier 2", new ConvGeometry(8, 9, 7, 16, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 8), 1),
        ("kernel covers the image", new ConvGeometry(5, 3, 3, 4, 3, 3), 2),
        ("1x1 stride 2", new ConvGeometry(16, 9, 9, 33, 1, 1, 2, 2), 1),
        ("deep K across blocks", new ConvGeometry(64, 10, 10, 20, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 1),
        ("width 1", new ConvGeometry(3, 5, 1, 4, 3, 1, PadTop: 1, PadBottom: 1), 2),
        ("pads wider than the kernel", new ConvGeometry(2, 4, 4, 3, 2, 2, 1, 1, 3, 3, 3, 3), 1),
        ("one output channel, odd width", new ConvGeometry(15, 6, 31, 1, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 1),
        ("small image, many channels", new ConvGeometry(40, 7, 7, 66, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 2),
        ("one input channel, width 17", new ConvGeometry(1, 7, 17, 16, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 2),
        ("5x5 pad 2, 31 channels", new ConvGeometry(17, 16, 16, 31, 5, 5, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2), 1),
        ("wide image, odd size", new ConvGeometry(33, 5, 37, 35, 3, 3, PadTop: 1, PadLeft: 0, PadBottom: 2, PadRight: 1), 1),
        ("3x3 64 channels, odd 15x13", new ConvGeometry(64, 15, 13, 65, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 2),
    ];

    private static readonly FusedActivation[] Activations =
    [
        FusedActivation.None,
        FusedActivation.Relu,
        new(ActivationKind.LeakyRelu, 0.1f),
        new(ActivationKind.Clip, 0f, 6f),
        new(ActivationKind.Sigmoid),
        new(ActivationKind.HardSigmoid, 0.2f, 0.5f),
        new(ActivationKind.HardSwish),
        new(ActivationKind.Tanh),
    ];

    public static TheoryData<int, SimdLevel> CaseLevels()
    {
        var data = new TheoryData<int, SimdLevel>();
        for (var i = 0; i < Cases.Length; i++)
        {
            foreach (var level in new[] { SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512 })
            {
                data.Add(i, level);
            }
        }

        return data;
    }

    /// <summary>Winograd F(2x2, 3x3) and F(4x4, 3x3) only cover dense 3x3 convolutions with unit stride and dilation; only those cases are generated.</summary>
    private static bool WinogradApplies(ConvGeometry g) =>
        g is { KernelHeight: 3, KernelWidth: 3, StrideH: 1, StrideW: 1, DilationH: 1, DilationW: 1, Groups: 1 };

    private static readonly ConvAlgorithm[] WinogradTiles = [ConvAlgorithm.Winograd, ConvAlgorithm.WinogradF4];

    public static TheoryData<int, SimdLevel, ConvAlgorithm> WinogradCaseLevels()
    {
        var data = new TheoryData<int, SimdLevel, ConvAlgorithm>();
        for (var i = 0; i < Cases.Length; i++)
        {
            if (!WinogradApplies(Cases[i].Geometry))
            {
                continue;
            }

            foreach (var level in new[] { SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512 })
            {
                foreach (var algorithm in WinogradTiles)
                {
                    data.Add(i, level, algorithm);
                }
            }
        }

        return data;
    }

    [Fact]
    public void SeveralGeometriesAreWinogradCases() =>
        Assert.True(Cases.Count(c => WinogradApplies(c.Geometry)) >= 5);

    public static TheoryData<int, SimdLevel> ActivationLevels()
    {
        var data = new TheoryData<int, SimdLevel>();
        for (var i = 0; i < Activations.Length; i++)
        {
            foreach (var level in new[] { SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512 })
            {
                data.Add(i, level);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(CaseLevels))]
    public void ChosenAlgorithmMatchesTheReference(int caseIndex, SimdLevel level)
    {
        SimdLevels.Require(level);
        var (name, geometry, batch) = Cases[caseIndex];
        var activation = Activations[caseIndex % Activations.Length];
        Check(name, geometry, batch, activation, level, null, 1 + caseIndex % 2, caseIndex);
    }

    [SkippableTheory]
    [MemberData(nameof(CaseLevels))]
    public void ImplicitGemmMatchesTheReferenceOnEveryGeometry(int caseIndex, SimdLevel level)
    {
        SimdLevels.Require(level);
        var (name, geometry, batch) = Cases[caseIndex];
        Check(name, geometry, batch, Activations[(caseIndex + 3) % Activations.Length], level, ConvAlgorithm.ImplicitGemm, 2 - caseIndex % 2, caseIndex + 100);
    }

    [SkippableTheory]
    [MemberData(nameof(CaseLevels))]
    public void ChannelVectorGemmMatchesTheReferenceOnEveryGeometry(int caseIndex, SimdLevel level)
    {
        SimdLevels.Require(level);
        var (name, geometry, batch) = Cases[caseIndex];
        Check(name, geometry, batch, Activations[(caseIndex + 5) % Activations.Length], level, ConvAlgorithm.ChannelVectorGemm, 1 + caseIndex % 2, caseIndex + 400);
    }

    [SkippableTheory]
    [MemberData(nameof(WinogradCaseLevels))]
    public void WinogradMatchesTheReferenceOnEveryThreeByThreeGeometry(int caseIndex, SimdLevel level, ConvAlgorithm algorithm)
    {
        SimdLevels.Require(level);
        var (name, geometry, batch) = Cases[caseIndex];
        Assert.True(WinogradApplies(geometry), name);
        Check(name, geometry, batch, Activations[(caseIndex + 1) % Activations.Length], level, algorithm, 1 + caseIndex % 2, caseIndex + 500);
    }

    /// <summary>
    /// Against the double-free reference on the weights and inputs of a trained ResNet's scale: F(2x2) within 1e-5 of
    /// the largest output (7e-7 measured), F(4x4), whose transforms reach 8 and 1/24, within 2e-5 (7.4e-6 measured).
    /// </summary>
    [SkippableTheory]
    [InlineData(64, 28, SimdLevel.Vector512, ConvAlgorithm.Winograd, 1e-5)]
    [InlineData(256, 14, SimdLevel.Vector256, ConvAlgorithm.Winograd, 1e-5)]
    [InlineData(512, 7, SimdLevel.Vector512, ConvAlgorithm.Winograd, 1e-5)]
    [InlineData(64, 56, SimdLevel.Vector512, ConvAlgorithm.WinogradF4, 2e-5)]
    [InlineData(128, 28, SimdLevel.Vector256, ConvAlgorithm.WinogradF4, 2e-5)]
    [InlineData(256, 14, SimdLevel.Vector128, ConvAlgorithm.WinogradF4, 2e-5)]
    public void WinogradStaysWithinTheAccuracyBarOnResNetScaledWeights(int channels, int size, SimdLevel level, ConvAlgorithm algorithm, double bar)
    {
        SimdLevels.Require(level);
        // He-initialised weights and ReLU-like non-negative inputs, as inside a trained ResNet.
        var g = new ConvGeometry(channels, size, size, channels, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        var input = KernelTestData.Uniform(600 + channels, g.InputSize).Select(MathF.Abs).ToArray();
        var weights = KernelTestData.Uniform(601 + channels, g.WeightCount, MathF.Sqrt(6f / (9 * channels)));
        var expected = new float[g.OutputSize];
        ConvReference.Run(g, input, weights, [], FusedActivation.None, expected, 1);
        var plan = ConvPlan.Create(g, weights, [], FusedActivation.None, 1, level, algorithm);
        var output = new float[g.OutputSize];
        plan.Execute(input, output, new float[plan.ScratchFloats(1)], 1);
        double maxDiff = 0, maxAbs = 0;
        for (var i = 0; i < output.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(output[i] - expected[i]));
            maxAbs = Math.Max(maxAbs, Math.Abs(expected[i]));
        }

        Assert.True(maxDiff / maxAbs < bar, $"max error {maxDiff} relative to the largest output {maxAbs}");
    }

    [SkippableTheory]
    [MemberData(nameof(ActivationLevels))]
    public void EveryFusedActivationMatchesTheReference(int activationIndex, SimdLevel level)
    {
        SimdLevels.Require(level);
        var activation = Activations[activationIndex];
        var seed = 200 + activationIndex;
        Check("3x3", new ConvGeometry(9, 8, 19, 17, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 1, activation, level, null, 1, seed);
        Check("pointwise", new ConvGeometry(9, 8, 19, 17, 1, 1), 1, activation, level, null, 1, seed);
        Check("depthwise", new ConvGeometry(9, 8, 19, 9, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 9), 1, activation, level, null, 1, seed);
    }

    [SkippableTheory]
    [MemberData(nameof(CaseLevels))]
    public void ChannelVectorDirectMatchesTheReferenceOnEveryGeometry(int caseIndex, SimdLevel level)
    {
        SimdLevels.Require(level);
        var (name, geometry, batch) = Cases[caseIndex];
        Check(name, geometry, batch, Activations[(caseIndex + 2) % Activations.Length], level, ConvAlgorithm.ChannelVectorDirect, 2 - caseIndex % 2, caseIndex + 600);
    }

    public static TheoryData<int, SimdLevel, string> AlgorithmChoices()
    {
        // (case, with 16-lane vectors, with 8-lane ones, with narrower ones): the direct channel-vector kernel is
        // chosen with 16- and 8-lane vectors wherever a group has 32 output channels; 4-lane and scalar levels keep the
        // GEMM paths, the channel-vector GEMM for small images with many output channels (case 22: 6x36 outputs, 35
        // channels, 297-deep K).
        (int Case, string WithVector512, string WithVector256, string Narrower)[] choices =
        [
            (0, "pointwise-gemm", "pointwise-gemm", "pointwise-gemm"),
            (3, "implicit-gemm", "implicit-gemm", "implicit-gemm"),
            (22, "channel-vector-direct", "channel-vector-direct", "channel-vector-gemm"),
            (10, "depthwise-direct", "depthwise-direct", "depthwise-direct"),
            (14, "channel-vector-direct", "channel-vector-direct", "channel-vector-gemm"),
            (5, "channel-vector-direct", "channel-vector-direct", "implicit-gemm"),
            (19, "channel-vector-direct", "channel-vector-direct", "channel-vector-gemm"),
        ];
        var data = new TheoryData<int, SimdLevel, string>();
        foreach (var (caseIndex, withVector512, withVector256, narrower) in choices)
        {
            foreach (var level in SimdLevels.All)
            {
                data.Add(caseIndex, level, level switch
                {
                    SimdLevel.Vector512 => withVector512,
                    SimdLevel.Vector256 => withVector256,
                    _ => narrower,
                });
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(AlgorithmChoices))]
    public void PlanChoosesTheAlgorithmForTheGeometryAndLevel(int caseIndex, SimdLevel level, string expected)
    {
        SimdLevels.Require(level);
        var g = Cases[caseIndex].Geometry;
        var plan = ConvPlan.Create(g, new float[g.WeightCount], [], FusedActivation.None, 1, level);
        Assert.Equal(expected, plan.Algorithm);
    }

    /// <summary>
    /// Winograd on every vector level for a 3x3 stride-1 layer of 64 channels or more with at least 48 tiles an
    /// image (case 23: 8 x 8 tiles); the scalar reference level and the small or narrow cases keep their kernels.
    /// </summary>
    [SkippableTheory]
    [InlineData(23, SimdLevel.Vector128, "winograd-f2x2-3x3")]
    [InlineData(23, SimdLevel.Vector256, "winograd-f2x2-3x3")]
    [InlineData(23, SimdLevel.Vector512, "winograd-f2x2-3x3")]
    [InlineData(23, SimdLevel.Scalar, "channel-vector-gemm")]
    [InlineData(19, SimdLevel.Vector512, "channel-vector-direct")]
    [InlineData(15, SimdLevel.Vector256, "implicit-gemm")]
    public void WinogradIsChosenForWideThreeByThreeLayers(int caseIndex, SimdLevel level, string expected)
    {
        SimdLevels.Require(level);
        var g = Cases[caseIndex].Geometry;
        Assert.Equal(expected, ConvPlan.Create(g, new float[g.WeightCount], [], FusedActivation.None, 1, level).Algorithm);
    }

    /// <summary>
    /// 4x4 tiles where their 36 transformed weight matrices stay within 2.5 MB and an image has at least 48 of them
    /// (ResNet-18's 56x56 layers of 64 channels and 28x28 layers of 128); 2x2 tiles at 256 channels (9.4 MB of 4x4
    /// weights) and on a 20x20 image (30 tiles of 4x4, 110 of 2x2); no Winograd on the scalar level.
    /// </summary>
    [SkippableTheory]
    [InlineData(64, 56, SimdLevel.Vector512, "winograd-f4x4-3x3")]
    [InlineData(64, 56, SimdLevel.Vector256, "winograd-f4x4-3x3")]
    [InlineData(128, 28, SimdLevel.Vector128, "winograd-f4x4-3x3")]
    [InlineData(128, 28, SimdLevel.Vector512, "winograd-f4x4-3x3")]
    [InlineData(256, 14, SimdLevel.Vector512, "winograd-f2x2-3x3")]
    [InlineData(64, 20, SimdLevel.Vector256, "winograd-f2x2-3x3")]
    [InlineData(64, 56, SimdLevel.Scalar, "implicit-gemm")]
    public void FourByFourTilesAreChosenWhereTheirWeightsStaySmall(int channels, int size, SimdLevel level, string expected)
    {
        SimdLevels.Require(level);
        var g = new ConvGeometry(channels, size, size, channels, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        Assert.Equal(expected, ConvPlan.Create(g, new float[g.WeightCount], [], FusedActivation.None, 1, level).Algorithm);
    }

    /// <summary>
    /// How Winograd shares an image between workers. A 6x6 image is a single block of tiles, so on two or three
    /// workers it splits the 72 output channels into slices (32 and 40), each worker laying out and transforming the
    /// whole input itself. A 30x27 image is several blocks, so each worker lays out only the rows its blocks read, in
    /// its own copy, and the blocks left over are sliced. With 128 input channels the transformed weights pass 512 KB
    /// and every block is sliced. Either way the bits must be those of one worker, and close to the reference, with
    /// and without a residual.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(WinogradSplits))]
    public void WinogradSplitsAnImageBetweenWorkersWithTheOneWorkerBits(SimdLevel level, ConvAlgorithm algorithm, int inChannels, int height, int width)
    {
        SimdLevels.Require(level);
        var g = new ConvGeometry(inChannels, height, width, 72, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        var input = KernelTestData.Uniform(71, g.InputSize);
        var weights = KernelTestData.Uniform(72, g.WeightCount, 0.5f);
        var bias = KernelTestData.Uniform(73, g.OutChannels);
        var residual = KernelTestData.Uniform(74, g.OutputSize, 2f);
        var expected = new float[g.OutputSize];
        ConvReference.Run(g, input, weights, bias, FusedActivation.None, expected, 1);
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = FusedActivation.Relu.Apply(expected[i] + residual[i]);
        }

        float[] Run(int threads)
        {
            var plan = ConvPlan.Create(g, weights, bias, FusedActivation.Relu, threads, level, algorithm, addsResidual: true);
            var scratch = new float[plan.ScratchFloats(1)];
            scratch.AsSpan().Fill(float.NaN);
            var output = new float[g.OutputSize];
            plan.Execute(input, residual, output, scratch, 1);
            return output;
        }

        var one = Run(1);
        KernelTestData.AssertClose(expected, one, 2e-6f * (inChannels * 9 + 8), $"one worker, {level}");
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(3));
        Check($"{height}x{width}, 72 channels", g, 1, FusedActivation.None, level, algorithm, 2, 75);
    }

    /// <summary>
    /// A batch shared out by whole images (as many to each worker, the rest split within the image) gives each image
    /// the bits of one worker, with a residual and for both kernels that share batches this way.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(BatchSplits))]
    public void BatchesAreSharedOutByWholeImagesWithTheOneWorkerBits(SimdLevel level, ConvAlgorithm algorithm, int stride)
    {
        SimdLevels.Require(level);
        const int batch = 5;
        var g = new ConvGeometry(64, 18, 17, 64, 3, 3, stride, stride, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        var input = KernelTestData.Uniform(81, batch * g.InputSize);
        var weights = KernelTestData.Uniform(82, g.WeightCount, 0.5f);
        var bias = KernelTestData.Uniform(83, g.OutChannels);
        var residual = KernelTestData.Uniform(84, batch * g.OutputSize, 2f);

        float[] Run(int threads)
        {
            var plan = ConvPlan.Create(g, weights, bias, FusedActivation.Relu, threads, level, algorithm, addsResidual: true);
            Assert.Equal(algorithm, plan.AlgorithmKind);
            var scratch = new float[plan.ScratchFloats(batch)];
            scratch.AsSpan().Fill(float.NaN);
            var output = new float[batch * g.OutputSize];
            plan.Execute(input, residual, output, scratch, batch);
            return output;
        }

        var one = Run(1);
        var expected = new float[g.OutputSize];
        for (var n = 0; n < batch; n++)
        {
            ConvReference.Run(g, input.AsSpan(n * g.InputSize, g.InputSize), weights, bias, FusedActivation.None, expected, 1);
            for (var i = 0; i < expected.Length; i++)
            {
                expected[i] = FusedActivation.Relu.Apply(expected[i] + residual[(n * g.OutputSize) + i]);
            }

            KernelTestData.AssertClose(expected, one.AsSpan(n * g.OutputSize, g.OutputSize).ToArray(), 2e-6f * ((64 * 9) + 8), $"image {n}, one worker, {level}");
        }

        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(3));
    }

    public static TheoryData<SimdLevel, ConvAlgorithm, int> BatchSplits()
    {
        var data = new TheoryData<SimdLevel, ConvAlgorithm, int>();
        foreach (var level in SimdLevels.All)
        {
            data.Add(level, ConvAlgorithm.Winograd, 1);
            data.Add(level, ConvAlgorithm.WinogradF4, 1);
            data.Add(level, ConvAlgorithm.ChannelVectorDirect, 1);
            data.Add(level, ConvAlgorithm.ChannelVectorDirect, 2);
        }

        return data;
    }

    public static TheoryData<SimdLevel, ConvAlgorithm, int, int, int> WinogradSplits()
    {
        var data = new TheoryData<SimdLevel, ConvAlgorithm, int, int, int>();
        foreach (var level in SimdLevels.All)
        {
            foreach (var algorithm in WinogradTiles)
            {
                data.Add(level, algorithm, 64, 6, 6);
                data.Add(level, algorithm, 64, 30, 27);
                data.Add(level, algorithm, 128, 12, 11);

                // 70 outputs a row: 18 4x4 tiles, more than one 16-tile group of the AVX-512 row writer.
                data.Add(level, algorithm, 64, 9, 70);
            }
        }

        return data;
    }

    [SkippableTheory]
    [InlineData(5)]
    [InlineData(22)]
    [InlineData(23)]
    public void WithoutALevelThePlanUsesTheWidestTheCpuAccelerates(int caseIndex)
    {
        var g = Cases[caseIndex].Geometry;
        var chosen = ConvPlan.Create(g, new float[g.WeightCount], [], FusedActivation.None);
        var atBest = ConvPlan.Create(g, new float[g.WeightCount], [], FusedActivation.None, 1, SimdCapabilities.Best);
        Assert.Equal(SimdCapabilities.Best, chosen.SimdLevel);
        Assert.Equal(atBest.Algorithm, chosen.Algorithm);
    }

    public static TheoryData<int, SimdLevel, ConvAlgorithm> ResidualCases()
    {
        var data = new TheoryData<int, SimdLevel, ConvAlgorithm>();
        foreach (var caseIndex in new[] { 3, 5, 15, 19, 21, 22 })
        {
            foreach (var level in new[] { SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512 })
            {
                foreach (var algorithm in new[] { ConvAlgorithm.ChannelVectorDirect, ConvAlgorithm.ImplicitGemm, ConvAlgorithm.ChannelVectorGemm })
                {
                    data.Add(caseIndex, level, algorithm);
                }
            }
        }

        // Winograd adds the residual as it writes its tiles: every geometry it covers, at every level.
        for (var caseIndex = 0; caseIndex < Cases.Length; caseIndex++)
        {
            if (WinogradApplies(Cases[caseIndex].Geometry))
            {
                foreach (var level in new[] { SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512 })
                {
                    foreach (var algorithm in WinogradTiles)
                    {
                        data.Add(caseIndex, level, algorithm);
                    }
                }
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(ResidualCases))]
    public void ResidualIsAddedBeforeTheActivation(int caseIndex, SimdLevel level, ConvAlgorithm algorithm)
    {
        SimdLevels.Require(level);
        var (name, g, batch) = Cases[caseIndex];
        var activation = Activations[(caseIndex + 1) % Activations.Length];
        var input = KernelTestData.Uniform(800 + caseIndex, batch * g.InputSize);
        var weights = KernelTestData.Uniform(801 + caseIndex, g.WeightCount, 0.5f);
        var bias = KernelTestData.Uniform(802 + caseIndex, g.OutChannels);
        var residual = KernelTestData.Uniform(803 + caseIndex, batch * g.OutputSize, 2f);
        var expected = new float[batch * g.OutputSize];
        ConvReference.Run(g, input, weights, bias, FusedActivation.None, expected, batch);
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = activation.Apply(expected[i] + residual[i]);
        }

        var plan = ConvPlan.Create(g, weights, bias, activation, 1 + caseIndex % 2, level, algorithm, addsResidual: true);
        var output = new float[expected.Length];
        plan.Execute(input, residual, output, new float[plan.ScratchFloats(batch)], batch);
        var depth = g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth;
        KernelTestData.AssertClose(expected, output, 2e-6f * (depth + 8), $"{name} + residual ({plan.Algorithm}, {level}, {activation.Kind})");
        Assert.Throws<InvalidOperationException>(() => plan.Execute(input, output, new float[plan.ScratchFloats(batch)], batch));
    }

    [SkippableFact]
    public void ChannelVectorDirectSplitsWideRowsAndManyRowsOnTwoThreads()
    {
        // 30 segments of at most 14 positions per 200-wide row, several blocks of rows, three K blocks, two panels.
        // The narrower levels first: a CPU without AVX-512 still runs them before the case is skipped.
        Check("wide rows, 4 lanes", new ConvGeometry(24, 9, 61, 40, 3, 3, 2, 1, 1, 1, 1, 1), 1, FusedActivation.Relu, SimdLevel.Vector128, ConvAlgorithm.ChannelVectorDirect, 2, 612);
        Check("wide rows, AVX2", new ConvGeometry(24, 9, 61, 40, 3, 3, 2, 1, 1, 1, 1, 1), 1, FusedActivation.None, SimdLevel.Vector256, ConvAlgorithm.ChannelVectorDirect, 2, 611);
        Check("wide rows", new ConvGeometry(24, 40, 200, 64, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 2, FusedActivation.Relu, SimdLevel.Vector512, ConvAlgorithm.ChannelVectorDirect, 2, 610);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public void ChannelVectorDirectGivesTheSameBitsOnOneAndTwoThreads(SimdLevel level)
    {
        // Few panels of 14x14 rows with a fused residual: the units two workers claim in any order give the same bits.
        SimdLevels.Require(level);
        var g = new ConvGeometry(96, 14, 14, 128, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        var input = KernelTestData.Uniform(620, g.InputSize);
        var weights = KernelTestData.Uniform(621, g.WeightCount, 0.5f);
        var bias = KernelTestData.Uniform(622, g.OutChannels);
        var residual = KernelTestData.Uniform(623, g.OutputSize);
        var outputs = new[] { 1, 2 }.Select(threads =>
        {
            var plan = ConvPlan.Create(g, weights, bias, FusedActivation.Relu, threads, level, ConvAlgorithm.ChannelVectorDirect, addsResidual: true);
            var output = new float[g.OutputSize];
            plan.Execute(input, residual, output, new float[plan.ScratchFloats(1)], 1);
            return output;
        }).ToArray();
        Assert.Equal(outputs[0], outputs[1]);
    }

    [SkippableTheory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector128)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public void ChannelVectorDirectRowBandsGiveTheOneWorkerBits(SimdLevel level)
    {
        // Two workers each lay out only the rows of their own band (with its halo) and take the other band's last
        // blocks once theirs are done. Rows wide enough for several blocks; odd heights split unevenly, stride 2 and
        // the stem's 7x7 reach 1 to 3 phase rows past a band, and a narrow tall image puts the batch inside each panel.
        SimdLevels.Require(level);
        (string Name, ConvGeometry Geometry, int Batch)[] cases =
        [
            ("stem-like 7x7/2 pad 3, 19 rows", new ConvGeometry(3, 37, 121, 16, 7, 7, 2, 2, 3, 3, 3, 3), 1),
            ("3x3/2 pad 1, 15 rows", new ConvGeometry(24, 29, 121, 40, 3, 3, 2, 2, 1, 1, 1, 1), 2),
            ("3x3 pad 1, 13 rows", new ConvGeometry(40, 13, 61, 48, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 2),
            ("3x3 dilation 2, asymmetric pads", new ConvGeometry(8, 11, 61, 20, 3, 3, 1, 1, 2, 1, 1, 2, 2, 2), 1),
            ("groups 2, 9 rows", new ConvGeometry(16, 9, 61, 32, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 2), 1),
            ("1x1/2, 13 rows", new ConvGeometry(16, 25, 121, 24, 1, 1, 2, 2), 2),
            ("images inside panels, 41 rows", new ConvGeometry(64, 41, 1, 40, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 3),
        ];
        foreach (var (name, g, batch) in cases)
        {
            var input = KernelTestData.Uniform(630, batch * g.InputSize);
            var weights = KernelTestData.Uniform(631, g.WeightCount, 0.5f);
            var bias = KernelTestData.Uniform(632, g.OutChannels);
            var residual = KernelTestData.Uniform(633, batch * g.OutputSize);
            float[] Run(int threads, int? cap)
            {
                var plan = ConvPlan.Create(g, weights, bias, FusedActivation.Relu, threads, level, ConvAlgorithm.ChannelVectorDirect, addsResidual: true);
                Assert.Equal(ConvAlgorithm.ChannelVectorDirect, plan.AlgorithmKind);
                var output = new float[batch * g.OutputSize];
                var scratch = new float[plan.ScratchFloats(batch)];
                scratch.AsSpan().Fill(float.NaN);
                var previous = KernelWorkers.UseCap(cap is null ? null : new ThreadCap(cap.Value));
                try
                {
                    // Twice: the second run must not take rows laid out in the first for this round's.
                    plan.Execute(input, residual, output, scratch, batch);
                    plan.Execute(input, residual, output, scratch, batch);
                }
                finally
                {
                    KernelWorkers.UseCap(previous);
                }

                return output;
            }

            var one = Run(1, null);
            Assert.False(one.Any(float.IsNaN), name);
            Assert.True(one.SequenceEqual(Run(2, null)), $"{name}, {level}: two workers differ from one");

            // Capped to one thread, worker 0 runs first and takes every block of worker 1's band.
            Assert.True(one.SequenceEqual(Run(2, 1)), $"{name}, {level}: two workers on one thread differ from one");
        }
    }

    [SkippableFact]
    public void ResNetSizedLayersMatchTheReferenceOnTwoThreads()
    {
        Check("3x3 64 at 28, 4 lanes", new ConvGeometry(64, 28, 28, 64, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 1, FusedActivation.Relu, SimdLevel.Vector128, null, 2, 303);
        Check("3x3/2 128 at 14", new ConvGeometry(128, 14, 14, 96, 3, 3, 2, 2, 1, 1, 1, 1), 2, FusedActivation.Relu, SimdLevel.Vector256, null, 2, 302);
        Check("3x3 64 at 28", new ConvGeometry(64, 28, 28, 64, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 1, FusedActivation.Relu, SimdLevel.Vector512, null, 2, 300);
        Check("3x3 256 at 7", new ConvGeometry(256, 7, 7, 256, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), 1, FusedActivation.None, SimdLevel.Vector512, null, 2, 301);
    }

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(12)]
    [InlineData(19)]
    [InlineData(22)]
    public void SingleThreadedExecuteAllocatesNothing(int caseIndex)
    {
        var (_, g, batch) = Cases[caseIndex];
        var plan = ConvPlan.Create(g, KernelTestData.Uniform(700, g.WeightCount), [], FusedActivation.Relu);
        var input = KernelTestData.Uniform(701, batch * g.InputSize);
        var output = new float[batch * g.OutputSize];
        var scratch = new float[plan.ScratchFloats(batch)];
        plan.Execute(input, output, scratch, batch);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            plan.Execute(input, output, scratch, batch);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [SkippableFact]
    public void WrongWeightCountIsRefusedWithTheExpectedCount()
    {
        var g = new ConvGeometry(3, 8, 8, 4, 3, 3);
        var error = Assert.Throws<ConvServiceException>(() => ConvPlan.Create(g, new float[10], [], FusedActivation.None));
        Assert.Equal(ErrorKind.DoesNotFit, error.Kind);
        Assert.Contains("108", error.Message);
    }

    [SkippableFact]
    public void ForcingDepthwiseOnADenseConvolutionIsRefused()
    {
        var g = new ConvGeometry(3, 8, 8, 4, 3, 3);
        Assert.Throws<ConvServiceException>(() => ConvPlan.Create(g, new float[g.WeightCount], [], FusedActivation.None, 1, SimdCapabilities.Best, ConvAlgorithm.Depthwise));
    }

    [SkippableFact]
    public void TooSmallScratchIsRefused()
    {
        var g = new ConvGeometry(3, 8, 8, 4, 3, 3);
        var plan = ConvPlan.Create(g, new float[g.WeightCount], [], FusedActivation.None);
        Assert.Throws<ArgumentException>(() => plan.Execute(new float[g.InputSize], new float[g.OutputSize], new float[plan.ScratchFloats(1) - 1], 1));
    }

    /// <summary>Runs the plan with NaN-filled scratch and guard values past the output and scratch, then compares with the reference.</summary>
    private static void Check(string name, ConvGeometry g, int batch, FusedActivation activation, SimdLevel level, ConvAlgorithm? algorithm, int threads, int seed)
    {
        SimdLevels.Require(level);
        var input = KernelTestData.Uniform(seed, batch * g.InputSize);
        var weights = KernelTestData.Uniform(seed + 1, g.WeightCount, 0.5f);
        var bias = seed % 3 == 0 ? [] : KernelTestData.Uniform(seed + 2, g.OutChannels);
        var expected = new float[batch * g.OutputSize];
        ConvReference.Run(g, input, weights, bias, activation, expected, batch);

        var plan = ConvPlan.Create(g, weights, bias, activation, threads, level, algorithm);
        const int guard = 37;
        var output = Enumerable.Repeat(KernelTestData.Guard, expected.Length + guard).ToArray();
        var scratchFloats = plan.ScratchFloats(batch);
        var scratch = new float[scratchFloats + guard];
        scratch.AsSpan(0, scratchFloats).Fill(float.NaN);
        scratch.AsSpan(scratchFloats).Fill(KernelTestData.Guard);

        // Twice: a plan must not depend on state left by a previous run.
        for (var run = 0; run < 2; run++)
        {
            plan.Execute(input, output.AsSpan(0, expected.Length), scratch.AsSpan(0, scratchFloats), batch);
            var context = $"{name} ({plan.Algorithm}, {level}, {activation.Kind}, {threads} threads, batch {batch}, run {run})";
            var depth = g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth;
            KernelTestData.AssertClose(expected, output.AsSpan(0, expected.Length), 2e-6f * (depth + 8), context);
            KernelTestData.AssertGuards(output.AsSpan(expected.Length), context + " output tail");
            KernelTestData.AssertGuards(scratch.AsSpan(scratchFloats), context + " scratch tail");
        }
    }
}
