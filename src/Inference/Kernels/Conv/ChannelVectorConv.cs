using System.Runtime.CompilerServices;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Convolution for small images with many channels (ResNet stages 3 and 4): output channels run along the vector
/// lanes and output positions are broadcast, so a 7x7 image costs 49 positions of work rather than 64 columns
/// of a 32-wide GEMM tile with junk. Inputs are gathered once per image into position tiles (K x P floats each),
/// then every packed-weight panel meets every tile with the whole K in registers.
/// </summary>
internal sealed unsafe class ChannelVectorConv : IConvKernel
{
    /// <summary>Largest K block: 192 x 32 packed weights (24 KB) plus one tile's 192 x 14 inputs fit a 48 KB L1.</summary>
    private const int KBlock = 192;

    private readonly ConvGeometry g;
    private readonly SimdLevel level;
    private readonly FusedActivation activation;
    private readonly PhaseLayout layout;
    private readonly int positions;
    private readonly int channels;
    private readonly int depth;
    private readonly int tiles;
    private readonly int panels;
    private readonly int[] offsets;
    private readonly int[] positionOffsets;
    private readonly float[] packedWeights;
    private readonly float[]? paddedBias;
    private readonly int workers;
    private readonly long layoutFloats;
    private readonly long tileFloats;
    private ParallelJob? spareJob;

    public ChannelVectorConv(in ConvGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, FusedActivation activation, int workers, SimdLevel level)
    {
        g = geometry;
        this.level = level;
        this.activation = activation;
        this.workers = workers;
        (positions, channels) = Tile(level);
        int icg = g.InChannelsPerGroup, ocg = g.OutChannelsPerGroup;
        depth = icg * g.KernelHeight * g.KernelWidth;
        layout = new PhaseLayout(g, g.InChannels, level);
        layoutFloats = layout.Floats;

        offsets = layout.RowOffsets(icg);

        var count = g.OutHeight * g.OutWidth;
        positionOffsets = new int[count];
        for (var q = 0; q < count; q++)
        {
            positionOffsets[q] = q / g.OutWidth * layout.PhaseWidth + q % g.OutWidth;
        }

        tiles = (count + positions - 1) / positions;
        panels = ChannelPanels.Count(g, channels);
        tileFloats = (long)tiles * depth * positions;

        packedWeights = ChannelPanels.PackWeights(g, weights, channels);
        paddedBias = ChannelPanels.PadBias(g, bias, channels);
    }

    public ConvAlgorithm Algorithm => ConvAlgorithm.ChannelVectorGemm;

    /// <summary>Positions x channels of one register tile at this level.</summary>
    public static (int Positions, int Channels) Tile(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => (14, 32),
        SimdLevel.Vector256 => (6, 16),
        SimdLevel.Vector128 => (6, 8),
        _ => (4, 4),
    };

    public long ScratchFloats(int batch) => batch * layoutFloats + tileFloats + (long)workers * tiles * positions * channels;

    public bool FusesResidual => false;

    public void Execute(float* input, float* residual, float* output, float* scratch, int batch)
    {
        if (residual != null)
        {
            throw new ArgumentException("This kernel stores the bare convolution; its plan adds the residual.", nameof(residual));
        }

        var tileBase = scratch + batch * layoutFloats;
        var job = workers > 1 ? Interlocked.Exchange(ref spareJob, null) ?? new ParallelJob(this) : null;
        if (job == null)
        {
            FillShare(0, input, scratch, batch);
        }
        else
        {
            job.Input = input;
            job.Scratch = scratch;
            job.Batch = batch;
            job.Stage = ParallelStage.Filling;
            KernelWorkers.Run(job, workers);
        }

        for (var n = 0; n < batch; n++)
        {
            for (var group = 0; group < g.Groups; group++)
            {
                var source = scratch + n * layoutFloats + (long)group * g.InChannelsPerGroup * layout.ChannelFloats;
                var dest = output + (long)n * g.OutputSize + (long)group * g.OutChannelsPerGroup * positionOffsets.Length;
                if (job == null)
                {
                    Gather(0, source, tileBase);
                    Compute(0, group, tileBase, dest);
                }
                else
                {
                    job.Source = source;
                    job.Dest = dest;
                    job.TileBase = tileBase;
                    job.Group = group;
                    job.Stage = ParallelStage.Gathering;
                    KernelWorkers.Run(job, workers);
                    job.Stage = ParallelStage.Computing;
                    KernelWorkers.Run(job, workers);
                }
            }
        }

        if (job != null)
        {
            spareJob = job;
        }
    }

    /// <summary>Fills this worker's contiguous share of the (image, channel) pairs of the phase layouts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillShare(int worker, float* input, float* scratch, int batch)
    {
        var total = batch * g.InChannels;
        layout.FillPairs(input, scratch, total * worker / workers, total * (worker + 1) / workers);
    }

    /// <summary>Packs this worker's share of position tiles: tile t holds, for each k, its P input values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Gather(int worker, float* source, float* tileBase)
    {
        var count = positionOffsets.Length;
        int begin = tiles * worker / workers, end = tiles * (worker + 1) / workers;
        var at = stackalloc int[positions];
        fixed (int* offs = offsets)
        {
            for (var t = begin; t < end; t++)
            {
                for (var j = 0; j < positions; j++)
                {
                    // Past the last position repeat it: the tile computes it twice and stores it once.
                    at[j] = positionOffsets[Math.Min(t * positions + j, count - 1)];
                }

                var tile = tileBase + (long)t * depth * positions;
                for (var p = 0; p < depth; p++)
                {
                    var row = source + offs[p];
                    for (var j = 0; j < positions; j++)
                    {
                        tile[j] = row[at[j]];
                    }

                    tile += positions;
                }
            }
        }
    }

    /// <summary>
    /// This worker's channel panels against every tile, K in blocks so a block of packed weights stays in L1 while
    /// it meets every tile; the tiles' accumulators wait in scratch between blocks. Finished tiles are activated
    /// and scattered to NCHW.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compute(int worker, int group, float* tileBase, float* dest)
    {
        int count = positionOffsets.Length, ocg = g.OutChannelsPerGroup, tileSize = positions * channels;
        int begin = panels * worker / workers, end = panels * (worker + 1) / workers;
        var accumulators = tileBase + tileFloats + (long)worker * tiles * tileSize;
        var kBlock = (depth + (depth + KBlock - 1) / KBlock - 1) / ((depth + KBlock - 1) / KBlock);
        fixed (float* packed = packedWeights, biasBase = paddedBias)
        {
            for (var panel = begin; panel < end; panel++)
            {
                var w = packed + ((long)group * panels + panel) * depth * channels;
                var bias = biasBase == null ? null : biasBase + (group * panels + panel) * channels;
                for (var k0 = 0; k0 < depth; k0 += kBlock)
                {
                    var kc = Math.Min(kBlock, depth - k0);
                    for (var t = 0; t < tiles; t++)
                    {
                        var b = tileBase + (long)t * depth * positions + (long)k0 * positions;
                        var acc = accumulators + t * tileSize;
                        var wk = w + (long)k0 * channels;
                        switch (level)
                        {
                            case SimdLevel.Vector512:
                                ChannelVectorKernels.Kernel512(kc, wk, b, bias, acc, k0 > 0);
                                break;
                            case SimdLevel.Vector256:
                                ChannelVectorKernels.Kernel256(kc, wk, b, bias, acc, k0 > 0);
                                break;
                            case SimdLevel.Vector128:
                                ChannelVectorKernels.Kernel128(kc, wk, b, bias, acc, k0 > 0);
                                break;
                            default:
                                ScalarTile(kc, wk, b, bias, acc, k0 > 0);
                                break;
                        }
                    }
                }

                var firstChannel = panel * channels;
                var channelCount = Math.Min(channels, ocg - firstChannel);
                for (var t = 0; t < tiles; t++)
                {
                    var tile = accumulators + t * tileSize;
                    ActivationKernels.Apply(new Span<float>(tile, tileSize), activation, level);
                    var first = t * positions;
                    var valid = Math.Min(positions, count - first);
                    for (var c = 0; c < channelCount; c++)
                    {
                        var plane = dest + (long)(firstChannel + c) * count + first;
                        for (var j = 0; j < valid; j++)
                        {
                            plane[j] = tile[j * channels + c];
                        }
                    }
                }
            }
        }
    }

    private void ScalarTile(int kc, float* w, float* b, float* bias, float* tile, bool accumulate)
    {
        for (var j = 0; j < positions && !accumulate; j++)
        {
            for (var c = 0; c < channels; c++)
            {
                tile[j * channels + c] = bias == null ? 0f : bias[c];
            }
        }

        for (var p = 0; p < kc; p++)
        {
            for (var j = 0; j < positions; j++)
            {
                var v = b[p * positions + j];
                for (var c = 0; c < channels; c++)
                {
                    tile[j * channels + c] = MathF.FusedMultiplyAdd(w[p * channels + c], v, tile[j * channels + c]);
                }
            }
        }
    }

    private enum ParallelStage
    {
        Filling,
        Gathering,
        Computing,
    }

    /// <summary>One Execute's pointers for the worker shares; kept by the plan and reused, so Execute allocates nothing.</summary>
    private sealed class ParallelJob(ChannelVectorConv owner) : IParallelWork
    {
        public float* Input;
        public float* Scratch;
        public int Batch;
        public float* Source;
        public float* Dest;
        public float* TileBase;
        public int Group;
        public ParallelStage Stage;

        public void Run(int worker)
        {
            switch (Stage)
            {
                case ParallelStage.Filling:
                    owner.FillShare(worker, Input, Scratch, Batch);
                    break;
                case ParallelStage.Gathering:
                    owner.Gather(worker, Source, TileBase);
                    break;
                default:
                    owner.Compute(worker, Group, TileBase, Dest);
                    break;
            }
        }
    }
}
