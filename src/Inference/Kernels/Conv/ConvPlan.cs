using ConvService.Inference.Errors;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Operators.Elementwise;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// One convolution, prepared once (algorithm choice, packed weights, scratch size) and executed many times
/// without allocating. Create it at model load; call <see cref="Execute"/> per inference.
/// </summary>
public sealed unsafe class ConvPlan
{
    private readonly IConvKernel kernel;

    private ConvPlan(ConvGeometry geometry, FusedActivation activation, int degreeOfParallelism, SimdLevel simdLevel, IConvKernel kernel, bool addsResidual)
    {
        AddsResidual = addsResidual;
        Geometry = geometry;
        Activation = activation;
        DegreeOfParallelism = degreeOfParallelism;
        SimdLevel = simdLevel;
        this.kernel = kernel;
    }

    public ConvGeometry Geometry { get; }

    /// <summary>
    /// The plan adds a residual tensor of the output's shape before the activation (a fused residual Add); run it
    /// with the <see cref="Execute(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/> overload.
    /// </summary>
    public bool AddsResidual { get; }

    public FusedActivation Activation { get; }

    public int DegreeOfParallelism { get; }

    public SimdLevel SimdLevel { get; }

    public ConvAlgorithm AlgorithmKind => kernel.Algorithm;

    /// <summary>The algorithm chosen for this geometry, for reports and benchmarks.</summary>
    public string Algorithm => kernel.Algorithm switch
    {
        ConvAlgorithm.Pointwise => "pointwise-gemm",
        ConvAlgorithm.ImplicitGemm => "implicit-gemm",
        ConvAlgorithm.Depthwise => "depthwise-direct",
        ConvAlgorithm.ChannelVectorGemm => "channel-vector-gemm",
        ConvAlgorithm.ChannelVectorDirect => "channel-vector-direct",
        ConvAlgorithm.Winograd => "winograd-f2x2-3x3",
        ConvAlgorithm.WinogradF4 => "winograd-f4x4-3x3",
        _ => kernel.Algorithm.ToString(),
    };

    public static ConvPlan Create(
        in ConvGeometry geometry,
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias,
        FusedActivation activation,
        int degreeOfParallelism = 1) =>
        Create(geometry, weights, bias, activation, degreeOfParallelism, SimdCapabilities.Best, null);

    /// <summary>
    /// As above with an explicit instruction width (capped by the CPU), optionally a forced algorithm (tests use
    /// them to run every path; a forced algorithm that cannot compute this geometry is refused), and optionally a
    /// residual added before the activation.
    /// </summary>
    public static ConvPlan Create(
        in ConvGeometry geometry,
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias,
        FusedActivation activation,
        int degreeOfParallelism,
        SimdLevel simdLevel,
        ConvAlgorithm? algorithm = null,
        bool addsResidual = false)
    {
        Validate(geometry, weights, bias);
        var level = SimdCapabilities.Require(simdLevel);
        var workers = Math.Max(1, degreeOfParallelism);
        var chosen = algorithm ?? Choose(geometry, level);
        if (!CanRun(chosen, geometry))
        {
            throw ConvServiceException.DoesNotFit(
                "Convolution algorithm does not fit",
                $"The {chosen} algorithm cannot compute this convolution ({Describe(geometry)}); leave the algorithm unset to let the plan choose.");
        }

        // The direct channel-vector and Winograd kernels add a residual as they store; the others store the bare
        // convolution and Execute adds the residual and applies the activation in a second pass.
        var kernelActivation = addsResidual && chosen is not (ConvAlgorithm.ChannelVectorDirect or ConvAlgorithm.Winograd or ConvAlgorithm.WinogradF4) ? FusedActivation.None : activation;
        IConvKernel kernel = chosen switch
        {
            ConvAlgorithm.Depthwise => new DepthwiseConv(geometry, weights, bias, kernelActivation, workers, level),
            ConvAlgorithm.ChannelVectorGemm => new ChannelVectorConv(geometry, weights, bias, kernelActivation, workers, level),
            ConvAlgorithm.ChannelVectorDirect => new DirectChannelVectorConv(geometry, weights, bias, kernelActivation, workers, level),
            ConvAlgorithm.Winograd => new WinogradConv(geometry, weights, bias, kernelActivation, workers, level),
            ConvAlgorithm.WinogradF4 => new WinogradConv(geometry, weights, bias, kernelActivation, workers, level, tile: 4),
            _ => new ImplicitGemmConv(geometry, weights, bias, kernelActivation, workers, level, chosen == ConvAlgorithm.Pointwise),
        };
        return new ConvPlan(geometry, activation, workers, level, kernel, addsResidual);
    }

    /// <summary>Floats of scratch <see cref="Execute"/> needs for a batch of <paramref name="batch"/> images.</summary>
    public int ScratchFloats(int batch) => checked((int)kernel.ScratchFloats(Math.Max(1, batch)));

    public void Execute(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch, int batch)
    {
        if (AddsResidual)
        {
            throw new InvalidOperationException("This plan adds a residual; call the Execute overload that takes one.");
        }

        Run(input, default, output, scratch, batch);
    }

    /// <summary>output = activation(convolution(input) + residual), the residual shaped like the output.</summary>
    public void Execute(ReadOnlySpan<float> input, ReadOnlySpan<float> residual, Span<float> output, Span<float> scratch, int batch)
    {
        if (!AddsResidual)
        {
            throw new InvalidOperationException("This plan was created without a residual; create it with addsResidual to add one.");
        }

        CheckLength(nameof(residual), residual.Length, (long)Math.Max(1, batch) * Geometry.OutputSize);
        if (residual.Overlaps(output))
        {
            throw new ArgumentException("The residual and the output overlap; pass the residual in its own buffer (the output is written before every residual value is read).", nameof(residual));
        }

        Run(input, residual, output, scratch, batch);
    }

    private void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> residual, Span<float> output, Span<float> scratch, int batch)
    {
        var g = Geometry;
        if (batch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch must be at least 1 (was {batch}).");
        }

        CheckLength(nameof(input), input.Length, (long)batch * g.InputSize);
        CheckLength(nameof(output), output.Length, (long)batch * g.OutputSize);
        CheckLength(nameof(scratch), scratch.Length, kernel.ScratchFloats(batch));
        fixed (float* pi = input, pr = residual, po = output, ps = scratch)
        {
            var fused = AddsResidual && kernel.FusesResidual;
            kernel.Execute(pi, fused ? pr : null, po, ps, batch);
            if (AddsResidual && !fused)
            {
                AddResidual(output[..(batch * g.OutputSize)], residual[..(batch * g.OutputSize)]);
            }
        }
    }

    /// <summary>The second pass of kernels that store the bare convolution: add the residual, then activate.</summary>
    private void AddResidual(Span<float> output, ReadOnlySpan<float> residual)
    {
        // At the plan's own width, so a plan forced to a narrower level never runs a wider vector.
        BinaryRowKernel.Run(BinaryKind.Add, output, false, residual, false, output, SimdLevel);
        ActivationKernels.Apply(output, Activation, SimdLevel);
    }

    private static ConvAlgorithm Choose(in ConvGeometry g, SimdLevel level) =>
        CanRun(ConvAlgorithm.Depthwise, g) ? ConvAlgorithm.Depthwise
        : CanRun(ConvAlgorithm.Pointwise, g) ? ConvAlgorithm.Pointwise
        : PrefersWinogradF4(g, level) ? ConvAlgorithm.WinogradF4
        : PrefersWinograd(g, level) ? ConvAlgorithm.Winograd
        : PrefersDirectChannelVectors(g, level) ? ConvAlgorithm.ChannelVectorDirect
        : PrefersChannelVectors(g) ? ConvAlgorithm.ChannelVectorGemm
        : ConvAlgorithm.ImplicitGemm;

    /// <summary>
    /// Winograd F(2x2, 3x3) on a vector level, for 3x3 stride-1 layers with enough channels for its GEMMs, enough
    /// tiles per image to reuse each transformed weight, and transformed weights (16 x IC x OC floats) of 4 MB at
    /// most, the largest measured. Inside ResNet-18 on one thread it ran the 56x56 and 28x28 layers 1.2 to 1.4 times
    /// as fast as the direct kernel, and the 14x14 layers (4 MB of transformed weights) 1.2 times as fast at batch 8
    /// and as fast within 5% at batch 1, where the weights come from memory for every image; at 7x7 it was half as
    /// fast (docs/kernels.md).
    /// </summary>
    private static bool PrefersWinograd(in ConvGeometry g, SimdLevel level) =>
        level != SimdLevel.Scalar && CanRun(ConvAlgorithm.Winograd, g) && g.InChannels >= 64 && g.OutChannels >= 64
        && WinogradConv.TransformedWeightBytes(g) <= MostWinogradWeightBytes
        && (g.OutHeight + 1) / 2 * ((g.OutWidth + 1) / 2 + 1) >= MinimumWinogradTiles;

    /// <summary>
    /// Winograd F(4x4, 3x3) where F(2x2, 3x3) would run and its 36 transformed weight matrices stay within 2.5 MB (128
    /// channels in and out), with at least as many 4x4 tiles an image as F(2x2) needs of its own: ResNet-18's 56x56
    /// and 28x28 layers. Inside ResNet-18, in one process against F(2x2), it took 0.91 of the time at batch 1 and 8
    /// on one thread and 0.96-0.99 at batch 1 on two; the 14x14 layers (9.4 MB of such weights) ran at 1-1.6 times
    /// ONNX Runtime's time with it and keep F(2x2) (docs/kernels.md).
    /// </summary>
    private static bool PrefersWinogradF4(in ConvGeometry g, SimdLevel level) =>
        PrefersWinograd(g, level)
        && WinogradConv.TransformedWeightBytes(g, 4) <= MostWinogradF4WeightBytes
        && (g.OutHeight + 3) / 4 * ((g.OutWidth + 3) / 4 + 1) >= MinimumWinogradTiles;

    private const long MostWinogradF4WeightBytes = 5L * 512 * 1024;

    /// <summary>Tiles per image (junk column included) below which Winograd's weights cost more than its multiplies save.</summary>
    private const int MinimumWinogradTiles = 48;

    /// <summary>The largest transformed weights measured (256 channels in and out); larger ones are not chosen unmeasured.</summary>
    private const long MostWinogradWeightBytes = 4L * 1024 * 1024;

    /// <summary>
    /// At least one full 32-channel panel per group, on AVX-512 or AVX2: then every register tile is useful work
    /// whatever the image width. On AVX-512 it measured at or above the implicit GEMM and the gathered channel-vector
    /// GEMM on every ResNet-18 layer Winograd does not take (docs/kernels.md). On AVX2 (3 positions x 32 channels a
    /// tile) it took ResNet-18 to 0.98 of its time at batch 1 on one thread, 0.94 on two and 0.92 at batch 8, and the
    /// stem too once its rows were stored eight positions at a time (0.99-1.01 on one thread, 0.96-0.99 on two).
    /// </summary>
    private static bool PrefersDirectChannelVectors(in ConvGeometry g, SimdLevel level) =>
        g.OutChannelsPerGroup >= 32 && level is SimdLevel.Vector512 or SimdLevel.Vector256;

    /// <summary>
    /// Small images with many output channels: junk columns and the 32-wide column tail would waste a large share
    /// of an implicit GEMM, and the gathered inputs (positions x K) still fit in L2.
    /// </summary>
    private static bool PrefersChannelVectors(in ConvGeometry g)
    {
        var positions = (long)g.OutHeight * g.OutWidth;
        var depth = (long)g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth;
        return positions <= 256 && g.OutChannelsPerGroup >= 32 && positions * depth <= 1 << 19;
    }

    private static bool CanRun(ConvAlgorithm algorithm, in ConvGeometry g) => algorithm switch
    {
        ConvAlgorithm.Depthwise => g.Groups == g.InChannels && g.Groups > 1,
        ConvAlgorithm.Pointwise => g is { KernelHeight: 1, KernelWidth: 1, StrideH: 1, StrideW: 1, PadTop: 0, PadLeft: 0, PadBottom: 0, PadRight: 0 },
        ConvAlgorithm.ImplicitGemm or ConvAlgorithm.ChannelVectorGemm or ConvAlgorithm.ChannelVectorDirect => true,
        ConvAlgorithm.Winograd or ConvAlgorithm.WinogradF4 => g is { KernelHeight: 3, KernelWidth: 3, StrideH: 1, StrideW: 1, DilationH: 1, DilationW: 1, Groups: 1 },
        _ => false,
    };

    private static void CheckLength(string name, int actual, long needed)
    {
        if (actual < needed)
        {
            throw new ArgumentException($"The {name} span holds {actual} floats but this convolution needs {needed}; size it from the plan's geometry and ScratchFloats.", name);
        }
    }

    private static void Validate(in ConvGeometry g, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        var problems = new List<string>();
        if (g.InChannels < 1 || g.OutChannels < 1 || g.InHeight < 1 || g.InWidth < 1)
        {
            problems.Add("channels and input sizes must be at least 1");
        }

        if (g.KernelHeight < 1 || g.KernelWidth < 1 || g.StrideH < 1 || g.StrideW < 1 || g.DilationH < 1 || g.DilationW < 1)
        {
            problems.Add("kernel sizes, strides and dilations must be at least 1");
        }

        if (g.PadTop < 0 || g.PadLeft < 0 || g.PadBottom < 0 || g.PadRight < 0)
        {
            problems.Add("pads must not be negative");
        }

        if (g.Groups < 1 || g.InChannels % Math.Max(1, g.Groups) != 0 || g.OutChannels % Math.Max(1, g.Groups) != 0)
        {
            problems.Add($"groups ({g.Groups}) must divide both the input ({g.InChannels}) and output ({g.OutChannels}) channels");
        }

        if (problems.Count == 0 && (g.OutHeight < 1 || g.OutWidth < 1))
        {
            problems.Add($"the dilated kernel is larger than the padded input, so the output would be {g.OutHeight}x{g.OutWidth}");
        }

        if (problems.Count == 0 && weights.Length != g.WeightCount)
        {
            problems.Add($"weights hold {weights.Length} values but [OC, IC/groups, KH, KW] needs {g.WeightCount}");
        }

        if (problems.Count == 0 && !bias.IsEmpty && bias.Length != g.OutChannels)
        {
            problems.Add($"bias holds {bias.Length} values but needs one per output channel ({g.OutChannels}) or none");
        }

        if (problems.Count > 0)
        {
            throw ConvServiceException.DoesNotFit(
                "Invalid convolution",
                $"This convolution cannot be prepared ({Describe(g)}): {string.Join("; ", problems)}. Fix the layer's attributes or initializers.");
        }
    }

    private static string Describe(in ConvGeometry g) =>
        $"{g.InChannels}x{g.InHeight}x{g.InWidth} -> {g.OutChannels} channels, kernel {g.KernelHeight}x{g.KernelWidth}, " +
        $"stride {g.StrideH}x{g.StrideW}, dilation {g.DilationH}x{g.DilationW}, groups {g.Groups}";
}
