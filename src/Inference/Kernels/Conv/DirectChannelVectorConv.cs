using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Direct convolution with output channels along the vector lanes: each register tile is a segment of one output
/// row (up to 14 positions) times a panel of 32 output channels, and its inputs are broadcast straight from the
/// stride-phase layout, where a row segment's positions are consecutive for every tap. Nothing is gathered and no
/// junk column is computed, so a 7-wide image costs 7 positions per row, not a 32-wide GEMM tile. Weights are
/// packed once per panel (a channel vector per k) and consumed in K blocks that stay in L1 while they meet every
/// tile of a block of rows; a panel's weights are read from memory once per image, or once per batch in deep layers
/// whose weights outweigh an image's inputs. A fused residual is added as the tiles are stored.
/// </summary>
internal sealed unsafe class DirectChannelVectorConv : IConvKernel
{
    /// <summary>Largest K block: 192 x 32 packed weights (24 KB) stay in a 48 KB L1 beside the broadcast inputs.</summary>
    private const int KBlock = 192;

    /// <summary>Register tiles per block of rows: their accumulators wait in L1/L2 between K blocks.</summary>
    private const int TilesPerBlock = 32;

    /// <summary>Layout runs per worker: enough that a worker on a slower core simply claims fewer of them.</summary>
    private const int UnitsPerWorker = 8;

    /// <summary>Channels per register tile at the scalar level.</summary>
    private const int ScalarChannels = 8;

    private readonly ConvGeometry g;
    private readonly SimdLevel level;

    /// <summary>The register-tile runner for the plan's level, picked once here rather than per tile.</summary>
    private readonly delegate*<int, int, float*, float*, int*, float*, float*, bool, void> runTile;

    private readonly FusedActivation activation;
    private readonly PhaseLayout layout;
    private readonly int channels;
    private readonly int depth;
    private readonly int kBlock;
    private readonly int panels;
    private readonly int[] offsets;
    private readonly int[] tileStart;
    private readonly int[] tileWidth;
    private readonly int mostPositions;
    private readonly int rowsPerBlock;
    private readonly int rowBlocks;
    private readonly float[] packedWeights;
    private readonly float[]? paddedBias;
    private readonly int workers;
    private readonly bool imagesInner;
    private readonly Vector512<int> gatherIndices;
    private readonly long layoutFloats;
    private readonly long accumulatorFloats;
    private ParallelJob? spareJob;

    public DirectChannelVectorConv(in ConvGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, FusedActivation activation, int workers, SimdLevel level)
    {
        g = geometry;
        this.level = level;
        this.activation = activation;
        (mostPositions, channels) = level switch
        {
            SimdLevel.Vector512 => (DirectChannelVectorKernels.MostPositions512, 32),
            SimdLevel.Vector256 => (DirectChannelVectorKernels.MostPositions256, 16),
            SimdLevel.Vector128 => (DirectChannelVectorKernels.MostPositions128, 8),
            _ => (4, ScalarChannels),
        };
        runTile = level switch
        {
            SimdLevel.Vector512 => &DirectChannelVectorKernels.Run512,
            SimdLevel.Vector256 => &DirectChannelVectorKernels.Run256,
            SimdLevel.Vector128 => &DirectChannelVectorKernels.Run128,
            _ => &ScalarTile,
        };
        int icg = g.InChannelsPerGroup, ocg = g.OutChannelsPerGroup;
        depth = icg * g.KernelHeight * g.KernelWidth;
        kBlock = (depth + (depth + KBlock - 1) / KBlock - 1) / ((depth + KBlock - 1) / KBlock);
        layout = new PhaseLayout(g, g.InChannels, level);
        layoutFloats = layout.Floats;

        offsets = layout.RowOffsets(icg);

        // Split each output row into equal segments of at most mostPositions (the first ones one longer).
        var segments = (g.OutWidth + mostPositions - 1) / mostPositions;
        tileStart = new int[segments];
        tileWidth = new int[segments];
        for (int i = 0, x = 0; i < segments; i++)
        {
            tileWidth[i] = g.OutWidth / segments + (i < g.OutWidth % segments ? 1 : 0);
            tileStart[i] = x;
            x += tileWidth[i];
        }

        rowsPerBlock = Math.Clamp(TilesPerBlock / segments, 1, g.OutHeight);
        rowBlocks = (g.OutHeight + rowsPerBlock - 1) / rowsPerBlock;
        panels = ChannelPanels.Count(g, channels);
        this.workers = Math.Max(1, Math.Min(workers, panels * rowBlocks));
        gatherIndices = Vector512<int>.Indices * channels;
        imagesInner = (long)depth * channels > layoutFloats;
        accumulatorFloats = (long)rowsPerBlock * segments * mostPositions * channels;

        packedWeights = ChannelPanels.PackWeights(g, weights, channels);
        paddedBias = ChannelPanels.PadBias(g, bias, channels);
    }

    public ConvAlgorithm Algorithm => ConvAlgorithm.ChannelVectorDirect;

    public long ScratchFloats(int batch) => (imagesInner ? batch : 1) * layoutFloats + workers * accumulatorFloats;

    public bool FusesResidual => true;

    /// <summary>Adds the residual (when not null, shaped like the output) before the activation as the tiles are stored.</summary>
    public void Execute(float* input, float* residual, float* output, float* scratch, int batch)
    {
        var job = Interlocked.Exchange(ref spareJob, null) ?? new ParallelJob(this);
        job.Scratch = scratch;

        // Deep layers lay out every image first (their layouts are small) so a panel's weights serve the whole
        // batch; the others fill and compute one image at a time, so its layout is still in L2 when it is read.
        var rounds = imagesInner ? 1 : batch;
        job.Batch = batch / rounds;
        for (var round = 0; round < rounds; round++)
        {
            job.Input = input + (long)round * g.InputSize;
            job.Residual = residual == null ? null : residual + (long)round * g.OutputSize;
            job.Output = output + (long)round * g.OutputSize;
            job.NextUnit = 0;
            job.Filling = true;
            KernelWorkers.Run(job, workers);
            job.NextUnit = 0;
            job.Filling = false;
            KernelWorkers.Run(job, workers);
        }

        spareJob = job;
    }

    /// <summary>Fills runs of (image, channel) pairs of the phase layouts, claimed one run at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fill(ParallelJob job)
    {
        var total = job.Batch * g.InChannels;
        var run = Math.Max(1, total / (workers * UnitsPerWorker));
        for (var first = Interlocked.Add(ref job.NextUnit, run) - run; first < total; first = Interlocked.Add(ref job.NextUnit, run) - run)
        {
            layout.FillPairs(job.Input, job.Scratch, first, Math.Min(first + run, total));
        }
    }

    /// <summary>
    /// Computes (image, group, panel, block of rows) units, claimed one at a time so a worker slowed by a busy core
    /// takes fewer of them. Consecutive units share a panel's weights; where a panel outweighs an image's inputs
    /// (deep layers on small images) the images of a batch are the inner loop, so those weights come from memory
    /// once per batch rather than once per image.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compute(int worker, ParallelJob job)
    {
        var units = job.Batch * g.Groups * panels * rowBlocks;
        var accumulators = job.Scratch + job.Batch * layoutFloats + worker * accumulatorFloats;
        int icg = g.InChannelsPerGroup, ocg = g.OutChannelsPerGroup;
        fixed (float* packed = packedWeights, biasBase = paddedBias)
        fixed (int* offs = offsets)
        {
            for (var unit = Interlocked.Increment(ref job.NextUnit) - 1; unit < units; unit = Interlocked.Increment(ref job.NextUnit) - 1)
            {
                int rowBlock = unit % rowBlocks, n, group, panel;
                if (imagesInner)
                {
                    n = unit / rowBlocks % job.Batch;
                    panel = unit / (rowBlocks * job.Batch) % panels;
                    group = unit / (rowBlocks * job.Batch * panels);
                }
                else
                {
                    panel = unit / rowBlocks % panels;
                    group = unit / (rowBlocks * panels) % g.Groups;
                    n = unit / (rowBlocks * panels * g.Groups);
                }

                var source = job.Scratch + n * layoutFloats + (long)group * icg * layout.ChannelFloats;
                var dest = job.Output + (long)n * g.OutputSize + (long)group * ocg * g.OutHeight * g.OutWidth;
                var w = packed + ((long)group * panels + panel) * depth * channels;
                var bias = biasBase == null ? null : biasBase + (group * panels + panel) * channels;
                var firstRow = rowBlock * rowsPerBlock;
                var rows = Math.Min(rowsPerBlock, g.OutHeight - firstRow);
                ComputeUnit(w, bias, offs, source, firstRow, rows, accumulators);
                var residual = job.Residual == null ? null : job.Residual + (dest - job.Output);
                StoreUnit(accumulators, dest, residual, panel * channels, Math.Min(channels, ocg - panel * channels), firstRow, rows);
            }
        }
    }

    /// <summary>All K blocks of one panel against every tile of a block of rows, accumulating in scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeUnit(float* w, float* bias, int* offs, float* source, int firstRow, int rows, float* accumulators)
    {
        int segments = tileStart.Length, tileFloats = mostPositions * channels;
        for (var k0 = 0; k0 < depth; k0 += kBlock)
        {
            var kc = Math.Min(kBlock, depth - k0);
            var wk = w + (long)k0 * channels;

            // The next K block's weights (contiguous, also across panels) are prefetched a slice per tile, so their
            // trip from memory overlaps this block's arithmetic instead of stalling the next block's first tile.
            var next = (byte*)(wk + (long)kc * channels);
            var lines = Sse.IsSupported ? kc * channels * sizeof(float) / 64 : 0;
            var linesPerTile = (lines + rows * segments - 1) / (rows * segments);
            var prefetched = 0;
            for (var r = 0; r < rows; r++)
            {
                var row = source + (long)(firstRow + r) * layout.PhaseWidth;
                for (var s = 0; s < segments; s++)
                {
                    for (var stop = Math.Min(lines, prefetched + linesPerTile); prefetched < stop; prefetched++)
                    {
                        Sse.Prefetch1(next + prefetched * 64);
                    }

                    var acc = accumulators + (r * segments + s) * tileFloats;
                    var b = row + tileStart[s];
                    runTile(tileWidth[s], kc, wk, b, offs + k0, bias, acc, k0 > 0);
                }
            }
        }
    }

    /// <summary>
    /// Scatters finished tiles (position-major) into the NCHW output planes, adding the residual (same layout as the
    /// output) if there is one, then the activation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StoreUnit(float* accumulators, float* dest, float* residual, int firstChannel, int channelCount, int firstRow, int rows)
    {
        int segments = tileStart.Length, tileFloats = mostPositions * channels, outPlane = g.OutHeight * g.OutWidth;
        for (var r = 0; r < rows; r++)
        {
            for (var s = 0; s < segments; s++)
            {
                var tile = accumulators + (r * segments + s) * tileFloats;
                var width = tileWidth[s];
                var offset = (long)firstChannel * outPlane + (firstRow + r) * g.OutWidth + tileStart[s];
                var at = dest + offset;
                var extra = residual == null ? null : residual + offset;
                if (level == SimdLevel.Vector512)
                {
                    // One gather per channel collects its positions (stride `channels` in the tile); a masked
                    // store writes them to the channel's row.
                    var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width)).AsSingle();
                    var lowMask = mask.GetLower();
                    var highMask = mask.GetUpper();
                    for (var c = 0; c < channelCount; c++)
                    {
                        var low = Avx2.GatherMaskVector256(Vector256<float>.Zero, tile + c, gatherIndices.GetLower(), lowMask, sizeof(float));
                        var high = Avx2.GatherMaskVector256(Vector256<float>.Zero, tile + c, gatherIndices.GetUpper(), highMask, sizeof(float));
                        var values = Vector512.Create(low, high);
                        if (extra != null)
                        {
                            values += Avx512F.MaskLoad(extra + (long)c * outPlane, mask, Vector512<float>.Zero);
                        }

                        Avx512F.MaskStore(at + (long)c * outPlane, mask, ActivationKernels.Apply(values, activation));
                    }

                    continue;
                }

                if (level == SimdLevel.Vector256)
                {
                    // As above with up to 8 positions (a Vector256 tile holds at most MostPositions256).
                    var mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(width)).AsSingle();
                    var indices = Vector256<int>.Indices * channels;
                    for (var c = 0; c < channelCount; c++)
                    {
                        var values = Avx2.GatherMaskVector256(Vector256<float>.Zero, tile + c, indices, mask, sizeof(float));
                        if (extra != null)
                        {
                            values += Avx.MaskLoad(extra + (long)c * outPlane, mask);
                        }

                        Avx.MaskStore(at + (long)c * outPlane, mask, ActivationKernels.Apply(values, activation));
                    }

                    continue;
                }

                for (var c = 0; c < channelCount; c++)
                {
                    var plane = at + (long)c * outPlane;
                    var added = extra == null ? null : extra + (long)c * outPlane;
                    for (var j = 0; j < width; j++)
                    {
                        plane[j] = activation.Apply(added == null ? tile[j * channels + c] : tile[j * channels + c] + added[j]);
                    }
                }
            }
        }
    }

    private static void ScalarTile(int positions, int kc, float* w, float* b, int* offs, float* bias, float* tile, bool accumulate)
    {
        for (var j = 0; j < positions && !accumulate; j++)
        {
            for (var c = 0; c < ScalarChannels; c++)
            {
                tile[j * ScalarChannels + c] = bias == null ? 0f : bias[c];
            }
        }

        for (var p = 0; p < kc; p++)
        {
            var bp = b + offs[p];
            for (var j = 0; j < positions; j++)
            {
                var v = bp[j];
                for (var c = 0; c < ScalarChannels; c++)
                {
                    tile[j * ScalarChannels + c] = MathF.FusedMultiplyAdd(w[p * ScalarChannels + c], v, tile[j * ScalarChannels + c]);
                }
            }
        }
    }

    /// <summary>One Execute's pointers and unit counter; kept by the plan and reused, so Execute allocates nothing.</summary>
    private sealed class ParallelJob(DirectChannelVectorConv owner) : IParallelWork
    {
        public float* Input;
        public float* Output;
        public float* Residual;
        public float* Scratch;
        public int Batch;
        public bool Filling;
        public int NextUnit;

        public void Run(int worker)
        {
            if (Filling)
            {
                owner.Fill(this);
            }
            else
            {
                owner.Compute(worker, this);
            }
        }
    }
}
