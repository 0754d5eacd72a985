using System.Runtime.CompilerServices;
using ConvService.Inference.Kernels.Gemm;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Convolution as C[OC/G, positions] = W[OC/G, IC/G*KH*KW] * B per group, with weights packed once at creation.
/// B is never materialised: row (ic, ky, kx) is a shifted run of the phase layout (or of the input itself for
/// pointwise kernels), addressed through a per-k offset table. Bias initialises the accumulators; the activation
/// is applied per column chunk while it is still in cache, as junk columns are dropped.
/// </summary>
internal sealed unsafe class ImplicitGemmConv : IConvKernel, IShareKernel
{
    /// <summary>Target floats of one worker's output chunk (fits L2 with its inputs).</summary>
    private const int ChunkFloats = 32 * 1024;

    private readonly ConvGeometry g;
    private readonly SimdLevel level;
    private readonly FusedActivation activation;
    private readonly PhaseLayout? layout;
    private readonly float[] packedWeights;
    private readonly long groupWeightStride;
    private readonly float[]? paddedBias;
    private readonly int groupBiasStride;
    private readonly int[] offsets;
    private readonly int depth;
    private readonly int columns;
    private readonly int pitch;
    private readonly int chunkColumns;
    private readonly bool directOutput;
    private readonly ConvWorkSplit[] split;
    private readonly long layoutFloats;
    private readonly long workerFloats;
    private ShareJob? spareJob;

    public ImplicitGemmConv(in ConvGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, FusedActivation activation, int workers, SimdLevel level, bool pointwise)
    {
        g = geometry;
        this.level = level;
        this.activation = activation;
        Algorithm = pointwise ? ConvAlgorithm.Pointwise : ConvAlgorithm.ImplicitGemm;
        int icg = g.InChannelsPerGroup, ocg = g.OutChannelsPerGroup, taps = g.KernelHeight * g.KernelWidth;
        depth = icg * taps;

        if (pointwise)
        {
            columns = g.InHeight * g.InWidth;
            pitch = g.InWidth;
            offsets = new int[depth];
            for (var ic = 0; ic < icg; ic++)
            {
                offsets[ic] = ic * columns;
            }
        }
        else
        {
            layout = new PhaseLayout(g, g.InChannels, level);
            columns = layout.Columns;
            pitch = layout.PhaseWidth;
            layoutFloats = layout.Floats;
            offsets = layout.RowOffsets(icg);
        }

        // Without junk columns the GEMM writes the output directly.
        directOutput = pitch == g.OutWidth;

        var mr = GemmTile.Rows(level);
        var nr = GemmTile.Columns(level);
        groupWeightStride = GemmPacking.PackedASize(level, ocg, depth);
        packedWeights = new float[groupWeightStride * g.Groups];
        fixed (float* w = weights, packed = packedWeights)
        {
            for (var group = 0; group < g.Groups; group++)
            {
                GemmPacking.PackA(level, false, ocg, depth, 1f, w + (long)group * ocg * depth, depth, packed + group * groupWeightStride);
            }
        }

        if (!bias.IsEmpty)
        {
            groupBiasStride = GemmTile.RoundUp(ocg, mr);
            paddedBias = new float[groupBiasStride * g.Groups];
            for (var group = 0; group < g.Groups; group++)
            {
                bias.Slice(group * ocg, ocg).CopyTo(paddedBias.AsSpan(group * groupBiasStride));
            }
        }

        chunkColumns = Math.Clamp(ChunkFloats / ocg / nr * nr, nr, 512);
        split = ConvWorkSplit.For(workers, ocg, columns, mr, nr);
        workerFloats = GemmTile.WorkFloats + (directOutput ? 0 : (long)ocg * chunkColumns);
    }

    public ConvAlgorithm Algorithm { get; }

    public long ScratchFloats(int batch) => batch * layoutFloats + split.Length * workerFloats;

    public bool FusesResidual => false;

    public void Execute(float* input, float* residual, float* output, float* scratch, int batch)
    {
        if (residual != null)
        {
            throw new ArgumentException("This kernel stores the bare convolution; its plan adds the residual.", nameof(residual));
        }

        ShareJob.Execute(ref spareJob, this, input, output, scratch, batch, split.Length, fill: layout != null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FillShare(int worker, float* input, float* scratch, int batch)
    {
        // Every (image, channel) pair is independent; give each worker a contiguous share.
        var total = batch * g.InChannels;
        layout!.FillPairs(input, scratch, total * worker / split.Length, total * (worker + 1) / split.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ComputeShare(int worker, float* input, float* output, float* scratch, int batch)
    {
        var share = split[worker];
        var work = scratch + batch * layoutFloats + worker * workerFloats;
        var chunk = work + GemmTile.WorkFloats;
        int icg = g.InChannelsPerGroup, ocg = g.OutChannelsPerGroup, outPlane = g.OutHeight * g.OutWidth;
        fixed (float* packed = packedWeights, biasBase = paddedBias)
        fixed (int* offs = offsets)
        {
            for (var n = 0; n < batch; n++)
            {
                for (var group = 0; group < g.Groups; group++)
                {
                    var b = layout == null
                        ? input + (long)n * g.InputSize + (long)group * icg * columns
                        : scratch + n * layoutFloats + (long)group * icg * layout.ChannelFloats;
                    var a = packed + group * groupWeightStride;
                    var bias = biasBase == null ? null : biasBase + group * groupBiasStride;
                    var outGroup = output + (long)n * g.OutputSize + (long)group * ocg * outPlane;
                    for (var q0 = share.ColumnBegin; q0 < share.ColumnEnd; q0 += chunkColumns)
                    {
                        var q1 = Math.Min(q0 + chunkColumns, share.ColumnEnd);
                        if (directOutput)
                        {
                            GemmDriver.Run(level, ocg, columns, depth, a, bias, b, offs, 1, outGroup, columns, share.RowBegin, share.RowEnd, q0, q1, false, work);
                            for (var i = share.RowBegin; i < share.RowEnd; i++)
                            {
                                ActivationKernels.Apply(new Span<float>(outGroup + (long)i * outPlane + q0, q1 - q0), activation, level);
                            }
                        }
                        else
                        {
                            var c = chunk - q0 - (long)share.RowBegin * chunkColumns;
                            GemmDriver.Run(level, ocg, columns, depth, a, bias, b, offs, 1, c, chunkColumns, share.RowBegin, share.RowEnd, q0, q1, false, work);
                            CopyOut(chunk, outGroup, share.RowBegin, share.RowEnd, q0, q1);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Copies the valid columns of a chunk (rows of pitch PhaseWidth) into NCHW rows of OutWidth.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CopyOut(float* chunk, float* outGroup, int rowBegin, int rowEnd, int q0, int q1)
    {
        int outWidth = g.OutWidth, outPlane = g.OutHeight * outWidth;
        for (var i = rowBegin; i < rowEnd; i++)
        {
            var source = chunk + (long)(i - rowBegin) * chunkColumns;
            var dest = outGroup + (long)i * outPlane;
            for (var y = q0 / pitch; y * pitch < q1; y++)
            {
                var start = Math.Max(q0, y * pitch) - y * pitch;
                var stop = Math.Min(q1, y * pitch + outWidth) - y * pitch;
                if (start >= stop)
                {
                    continue;
                }

                var row = new Span<float>(dest + y * outWidth + start, stop - start);
                new ReadOnlySpan<float>(source + y * pitch + start - q0, stop - start).CopyTo(row);
                ActivationKernels.Apply(row, activation, level);
            }
        }
    }
}
