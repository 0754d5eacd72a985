using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Simd;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Direct convolution with output channels along the vector lanes: each register tile is a segment of one output
/// row (up to 14 positions at Vector512, 3 at Vector256) times a panel of 32 output channels (8 at Vector128), and
/// its inputs are broadcast straight from the stride-phase layout, where a row segment's positions are consecutive
/// for every tap. Nothing is gathered and no junk column is computed, so a 7-wide image costs 7 positions per row,
/// not a 32-wide GEMM tile. Weights are packed once per panel (a channel vector per k) and consumed in K blocks
/// that stay in L1 while they meet every tile of a block of rows; a panel's weights are read from memory once per
/// image, or once per batch in deep layers whose weights outweigh an image's inputs. A fused residual is added as
/// the tiles are stored. On two or more workers, where the rows make at least a block per worker, each owns a band
/// of output rows: it lays out (in its own copy of the layout) just the rows its band reads, halo included, and
/// computes every panel for them in one parallel call, so it reads no layout row the other core wrote, and where the
/// layer before was split the same way its inputs are mostly rows it stored itself; then it takes blocks from the
/// end of the other bands. Elsewhere one shared layout is filled and then (image, group, panel, block of rows) units
/// are claimed in turn. Outside deep layers, a batch of at least as many images as workers is first shared out by
/// whole images, as many to each worker, each laid out and computed by the worker alone; only the images left over
/// are split as above.
/// </summary>
internal sealed unsafe class DirectChannelVectorConv : IConvKernel
{
    /// <summary>Largest K block: 192 x 32 packed weights (24 KB) stay in a 48 KB L1 beside the broadcast inputs.</summary>
    private const int KBlock = 192;

    /// <summary>Register tiles per block of rows: their accumulators wait in L1/L2 between K blocks.</summary>
    private const int TilesPerBlock = 32;

    /// <summary>Layout runs per worker: enough that a worker on a slower core simply claims fewer of them.</summary>
    private const int UnitsPerWorker = 8;

    /// <summary>Longs between two bands' claim words, so the words sit on separate cache lines.</summary>
    private const int ClaimStride = 8;

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

    /// <summary>Where each position of an output row sits in its row's tiles (segment and place in it), for the AVX2 store.</summary>
    private readonly int[] positionOffsets;
    private readonly int mostPositions;
    private readonly int rowsPerBlock;
    private readonly int rowBlocks;
    private readonly float[] packedWeights;
    private readonly float[]? paddedBias;
    private readonly int workers;
    private readonly bool imagesInner;
    private readonly long layoutFloats;
    private readonly long accumulatorFloats;

    /// <summary>Whether each worker fills and computes its own band of output rows (two or more workers, enough rows).</summary>
    private readonly bool rowBands;

    /// <summary>
    /// Rows of at most half a Vector512 tile (7x7 images) are computed two at a time in one tile: a 7-wide row alone
    /// fills half the registers and reads 9 values for every 14 multiply-adds, a pair 16 for 28.
    /// </summary>
    private readonly bool pairRows;

    /// <summary>Band b is output rows [bandFirstRow[b], bandFirstRow[b + 1]), in bandBlocks[b] blocks of at most bandBlockRows[b].</summary>
    private readonly int[] bandFirstRow = [];
    private readonly int[] bandBlocks = [];
    private readonly int[] bandBlockRows = [];
    private ParallelJob? spareJob;

    public DirectChannelVectorConv(in ConvGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, FusedActivation activation, int workers, SimdLevel level)
    {
        g = geometry;
        this.level = level;
        this.activation = activation;
        (mostPositions, channels) = level switch
        {
            SimdLevel.Vector512 => (DirectChannelVectorKernels.MostPositions512, 32),
            SimdLevel.Vector256 => (DirectChannelVectorKernels.MostPositions256, 32),
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

        positionOffsets = new int[g.OutWidth];
        for (var s = 0; s < segments; s++)
        {
            for (var p = 0; p < tileWidth[s]; p++)
            {
                positionOffsets[tileStart[s] + p] = (s * mostPositions + p) * channels;
            }
        }

        rowsPerBlock = Math.Clamp(TilesPerBlock / segments, 1, g.OutHeight);
        pairRows = level == SimdLevel.Vector512 && segments == 1 && 2 * g.OutWidth <= mostPositions;
        rowBlocks = (g.OutHeight + rowsPerBlock - 1) / rowsPerBlock;
        panels = ChannelPanels.Count(g, channels);
        this.workers = Math.Max(1, Math.Min(workers, panels * rowBlocks));
        imagesInner = (long)depth * channels > layoutFloats;
        accumulatorFloats = (long)rowsPerBlock * segments * mostPositions * channels;

        // Equal bands of rows, each in blocks of at most rowsPerBlock; a tile's result does not depend on the
        // block it is computed in, so the bits are those of the one-worker split. Only where the rows already make
        // a block per worker: on fewer rows (deep layers) a band would halve the tiles that share a K block and
        // make every worker read all the weights, where units of whole panels split them.
        rowBands = this.workers > 1 && rowBlocks >= this.workers;
        if (rowBands)
        {
            bandFirstRow = new int[this.workers + 1];
            bandBlocks = new int[this.workers];
            bandBlockRows = new int[this.workers];
            for (var b = 0; b <= this.workers; b++)
            {
                bandFirstRow[b] = g.OutHeight * b / this.workers;
            }

            for (var b = 0; b < this.workers; b++)
            {
                var rows = bandFirstRow[b + 1] - bandFirstRow[b];
                bandBlocks[b] = (rows + rowsPerBlock - 1) / rowsPerBlock;
                bandBlockRows[b] = (rows + bandBlocks[b] - 1) / bandBlocks[b];
            }
        }

        packedWeights = ChannelPanels.PackWeights(g, weights, channels);
        paddedBias = ChannelPanels.PadBias(g, bias, channels);
    }

    public ConvAlgorithm Algorithm => ConvAlgorithm.ChannelVectorDirect;

    /// <summary>With row bands every worker has its own layouts, so it reads only rows it wrote itself.</summary>
    public long ScratchFloats(int batch) => (rowBands || SplitsImages(batch) ? workers : 1) * (imagesInner ? batch : 1) * layoutFloats + workers * accumulatorFloats;

    /// <summary>Whether a batch's images are shared out whole between the workers (see <see cref="Execute"/>).</summary>
    private bool SplitsImages(int batch) => workers > 1 && !imagesInner && batch >= workers;

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
        var first = 0;
        if (SplitsImages(batch))
        {
            // Whole images to each worker while every worker gets as many: each lays out and computes its own, so
            // nothing is shared and, where the layers before split the batch the same way, each core reads only
            // what it wrote. The rest one image at a time, split as below.
            job.Input = input;
            job.Output = output;
            job.Residual = residual;
            job.WholeImages = batch - (batch % workers);
            KernelWorkers.Run(job, workers);
            job.WholeImages = 0;
            first = batch - (batch % workers);
        }

        for (var round = first; round < rounds; round++)
        {
            job.Input = input + (long)round * g.InputSize;
            job.Residual = residual == null ? null : residual + (long)round * g.OutputSize;
            job.Output = output + (long)round * g.OutputSize;
            if (rowBands)
            {
                // One parallel call: each worker lays out the rows its units read, so nothing waits between the
                // fill and the compute.
                job.Round++;
                for (var b = 0; b < workers; b++)
                {
                    job.Claims[b * ClaimStride] = (long)BandUnits(b, job.Batch) << 32;
                }

                KernelWorkers.Run(job, workers);
                continue;
            }

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

                var firstRow = rowBlock * rowsPerBlock;
                ComputeAndStore(job, job.Scratch, n, group, panel, firstRow, Math.Min(rowsPerBlock, g.OutHeight - firstRow), packed, biasBase, offs, accumulators);
            }
        }
    }

    /// <summary>
    /// A worker's own band of rows, then blocks taken from the end of the other bands once its own are done (a
    /// worker slowed by a busy core thus leaves the last of its rows to the others). Units are numbered in each band
    /// as in <see cref="Compute"/>: (group, panel, image, block of rows), the images inner only in deep layers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeBands(int worker, ParallelJob job)
    {
        var layouts = job.Scratch + (long)worker * job.Batch * layoutFloats;
        var accumulators = job.Scratch + (long)workers * job.Batch * layoutFloats + worker * accumulatorFloats;
        fixed (float* packed = packedWeights, biasBase = paddedBias)
        fixed (int* offs = offsets)
        {
            for (var step = 0; step < workers; step++)
            {
                var band = (worker + step) % workers;
                var blocks = bandBlocks[band];
                for (var unit = Claim(job, band, step == 0); unit >= 0; unit = Claim(job, band, step == 0))
                {
                    var block = unit % blocks;
                    var n = unit / blocks % job.Batch;
                    var panel = unit / (blocks * job.Batch) % panels;
                    var group = unit / (blocks * job.Batch * panels);
                    var firstRow = bandFirstRow[band] + block * bandBlockRows[band];
                    var rows = Math.Min(bandBlockRows[band], bandFirstRow[band + 1] - firstRow);
                    FillRows(worker, job, layouts, firstRow, Math.Min(layout.PhaseHeight, firstRow + rows + layout.RowReach));
                    ComputeAndStore(job, layouts, n, group, panel, firstRow, rows, packed, biasBase, offs, accumulators);
                }
            }
        }
    }

    /// <summary>Worker <paramref name="worker"/>'s equal, contiguous run of the first WholeImages images: each laid out in its own layout, then every unit of it computed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeImages(int worker, ParallelJob job)
    {
        var own = job.Scratch + worker * layoutFloats;
        var accumulators = job.Scratch + (long)workers * layoutFloats + worker * accumulatorFloats;
        fixed (float* packed = packedWeights, biasBase = paddedBias)
        fixed (int* offs = offsets)
        {
            for (int n = job.WholeImages * worker / workers, end = job.WholeImages * (worker + 1) / workers; n < end; n++)
            {
                layout.Fill(job.Input + (long)n * g.InputSize, own, 0, g.InChannels, 0);
                var output = job.Output + (long)n * g.OutputSize;
                var residual = job.Residual == null ? null : job.Residual + (long)n * g.OutputSize;
                for (var group = 0; group < g.Groups; group++)
                {
                    for (var panel = 0; panel < panels; panel++)
                    {
                        for (var firstRow = 0; firstRow < g.OutHeight; firstRow += rowsPerBlock)
                        {
                            ComputeAndStore(own, output, residual, group, panel, firstRow, Math.Min(rowsPerBlock, g.OutHeight - firstRow), packed, biasBase, offs, accumulators);
                        }
                    }
                }
            }
        }
    }

    private int BandUnits(int band, int batch) => g.Groups * panels * batch * bandBlocks[band];

    /// <summary>
    /// The next unit of a band, from its start for the band's owner and from its end for another worker; -1 once the
    /// band is taken. The band's word holds the owner's next unit (low half) and the end of what is left (high half).
    /// </summary>
    private static int Claim(ParallelJob job, int band, bool owner)
    {
        ref var word = ref job.Claims[band * ClaimStride];
        while (true)
        {
            var seen = Volatile.Read(ref word);
            int next = (int)seen, end = (int)(seen >> 32);
            if (next >= end)
            {
                return -1;
            }

            if (Interlocked.CompareExchange(ref word, owner ? seen + 1 : seen - (1L << 32), seen) == seen)
            {
                return owner ? next : end - 1;
            }
        }
    }

    /// <summary>Lays out, in this worker's own layouts, phase rows [from, to) of every channel and image not laid out yet in this round.</summary>
    private void FillRows(int worker, ParallelJob job, float* layouts, int from, int to)
    {
        var filled = job.FilledRound.AsSpan(worker * layout.PhaseHeight, layout.PhaseHeight);
        for (var i = from; i < to;)
        {
            if (filled[i] == job.Round)
            {
                i++;
                continue;
            }

            var end = i + 1;
            while (end < to && filled[end] != job.Round)
            {
                end++;
            }

            for (var n = 0; n < job.Batch; n++)
            {
                layout.Fill(job.Input + (long)n * g.InputSize, layouts + n * layoutFloats, 0, g.InChannels, 0, i, end);
            }

            filled[i..end].Fill(job.Round);
            i = end;
        }
    }

    /// <summary>One (image, group, panel, block of rows) unit from the layouts at <paramref name="layouts"/>, stored with residual and activation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ComputeAndStore(ParallelJob job, float* layouts, int n, int group, int panel, int firstRow, int rows, float* packed, float* biasBase, int* offs, float* accumulators) =>
        ComputeAndStore(layouts + n * layoutFloats, job.Output + (long)n * g.OutputSize, job.Residual == null ? null : job.Residual + (long)n * g.OutputSize, group, panel, firstRow, rows, packed, biasBase, offs, accumulators);

    /// <summary>As above for one image given by its layout, output and residual (null for none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ComputeAndStore(float* imageLayout, float* output, float* residual, int group, int panel, int firstRow, int rows, float* packed, float* biasBase, int* offs, float* accumulators)
    {
        int icg = g.InChannelsPerGroup, ocg = g.OutChannelsPerGroup;
        var source = imageLayout + (long)group * icg * layout.ChannelFloats;
        var groupOffset = (long)group * ocg * g.OutHeight * g.OutWidth;
        var w = packed + ((long)group * panels + panel) * depth * channels;
        var bias = biasBase == null ? null : biasBase + (group * panels + panel) * channels;
        var panelChannels = Math.Min(channels, ocg - panel * channels);
        var stored = output + groupOffset + (panel * channels * (long)g.OutHeight * g.OutWidth) + ((long)firstRow * g.OutWidth);
        ComputeUnit(w, bias, offs, source, firstRow, rows, accumulators, stored, panelChannels);
        StoreUnit(accumulators, output + groupOffset, residual == null ? null : residual + groupOffset, panel * channels, panelChannels, firstRow, rows);
    }

    /// <summary>All K blocks of one panel against every tile of a block of rows, accumulating in scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeUnit(float* w, float* bias, int* offs, float* source, int firstRow, int rows, float* accumulators, float* stored, int storedChannels)
    {
        int segments = tileStart.Length, tileFloats = mostPositions * channels;

        // The unit's output rows, a contiguous run per channel (one line more, for a run that starts inside a line),
        // are prefetched during the first K block, the channels shared out evenly over its tiles, so the stores after
        // it find their lines in L2: stores into a large cold output (the stem's) otherwise wait for every line from
        // memory, many channel planes at once.
        var outPlane = (long)g.OutHeight * g.OutWidth;
        var storedLines = (((rows * g.OutWidth * sizeof(float)) + 63) / 64) + 1;
        var unitTiles = pairRows ? (rows + 1) / 2 : rows * segments;
        var channelsPerTile = (storedChannels + unitTiles - 1) / unitTiles;
        var tileCount = 0;
        for (var k0 = 0; k0 < depth; k0 += kBlock)
        {
            var kc = Math.Min(kBlock, depth - k0);
            var wk = w + (long)k0 * channels;

            // The next K block's weights (contiguous, also across panels) are prefetched a slice per tile, so their
            // trip from memory overlaps this block's arithmetic instead of stalling the next block's first tile.
            var next = (byte*)(wk + (long)kc * channels);
            var lines = kc * channels * sizeof(float) / 64;
            var linesPerTile = (lines + unitTiles - 1) / unitTiles;
            var prefetched = 0;
            for (var r = 0; r < rows; r++)
            {
                var row = source + (long)(firstRow + r) * layout.PhaseWidth;
                var pair = pairRows && r + 1 < rows;
                for (var s = 0; s < segments; s++)
                {
                    var stop = Math.Min(lines, prefetched + linesPerTile);
                    CachePrefetch.Lines(next + (prefetched * 64), stop - prefetched);
                    prefetched = stop;

                    if (k0 == 0)
                    {
                        for (int c = tileCount * channelsPerTile, end = Math.Min(storedChannels, c + channelsPerTile); c < end; c++)
                        {
                            CachePrefetch.Lines(stored + (c * outPlane), storedLines);
                        }

                        tileCount++;
                    }

                    var acc = accumulators + (r * segments + s) * tileFloats;
                    var b = row + tileStart[s];
                    if (pair)
                    {
                        // Rows r and r + 1 in row r's tile (one segment each), the second row's positions after the first's.
                        DirectChannelVectorKernels.RunTwoRows512(tileWidth[s], kc, wk, b, layout.PhaseWidth, offs + k0, bias, acc, k0 > 0);
                    }
                    else
                    {
                        runTile(tileWidth[s], kc, wk, b, offs + k0, bias, acc, k0 > 0);
                    }
                }

                r += pair ? 1 : 0;
            }
        }
    }

    /// <summary>
    /// Scatters finished tiles (position-major) into the NCHW output planes, adding the residual (same layout as the
    /// output) if there is one, then the activation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private void StoreUnit(float* accumulators, float* dest, float* residual, int firstChannel, int channelCount, int firstRow, int rows)
    {
        if (level == SimdLevel.Vector256)
        {
            StoreRows256(accumulators, dest, residual, firstChannel, channelCount, firstRow, rows);
            return;
        }

        int segments = tileStart.Length, tileFloats = mostPositions * channels, outPlane = g.OutHeight * g.OutWidth;
        var transposed = stackalloc Vector512<float>[16];
        for (var r = 0; r < rows; r++)
        {
            for (var s = 0; s < segments; s++)
            {
                var tile = accumulators + (r * segments + s) * tileFloats;
                var width = tileWidth[s];
                if (pairRows && (r % 2 == 1 || r + 1 < rows))
                {
                    // A row computed in a pair: the pair's tile is the even row's, this row's positions in its half.
                    tile = accumulators + ((r - (r % 2)) * segments * tileFloats) + ((r % 2) * width * channels);
                }
                var offset = (long)firstChannel * outPlane + (firstRow + r) * g.OutWidth + tileStart[s];
                var at = dest + offset;
                var extra = residual == null ? null : residual + offset;
                if (level == SimdLevel.Vector512)
                {
                    // Sixteen channels at a time turned channel-major in registers; a masked store writes each
                    // channel's positions to its row.
                    var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width)).AsSingle();
                    for (var half = 0; half * 16 < channelCount; half++)
                    {
                        TileTranspose512.Transpose(tile + (half * 16), channels, width, transposed);
                        for (int c = 0, count = Math.Min(16, channelCount - (half * 16)); c < count; c++)
                        {
                            var values = transposed[c];
                            var plane = (long)((half * 16) + c) * outPlane;
                            if (extra != null)
                            {
                                values += Avx512F.MaskLoad(extra + plane, mask, Vector512<float>.Zero);
                            }

                            Avx512F.MaskStore(at + plane, mask, ActivationKernels.Apply(values, activation));
                        }
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

    /// <summary>
    /// The AVX2 store: each output row eight positions at a time, whatever tiles they sit in, eight channels turned
    /// channel-major in registers (<see cref="TileTranspose256"/>), then each channel's eight positions stored whole,
    /// with residual and activation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private void StoreRows256(float* accumulators, float* dest, float* residual, int firstChannel, int channelCount, int firstRow, int rows)
    {
        int rowFloats = tileStart.Length * mostPositions * channels, outPlane = g.OutHeight * g.OutWidth;
        var transposed = stackalloc Vector256<float>[8];
        fixed (int* positions = positionOffsets)
        {
            for (var r = 0; r < rows; r++)
            {
                var row = accumulators + ((long)r * rowFloats);
                var rowOffset = ((long)firstChannel * outPlane) + ((firstRow + r) * g.OutWidth);
                for (var x = 0; x < g.OutWidth; x += 8)
                {
                    var width = Math.Min(8, g.OutWidth - x);
                    var mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(width)).AsSingle();
                    for (var c0 = 0; c0 < channelCount; c0 += 8)
                    {
                        TileTranspose256.Transpose(row + c0, positions + x, width, transposed);
                        for (int c = 0, count = Math.Min(8, channelCount - c0); c < count; c++)
                        {
                            var offset = rowOffset + ((long)(c0 + c) * outPlane) + x;
                            var values = transposed[c];
                            if (width == 8)
                            {
                                if (residual != null)
                                {
                                    values += Vector256.Load(residual + offset);
                                }

                                Vector256.Store(ActivationKernels.Apply(values, activation), dest + offset);
                            }
                            else
                            {
                                if (residual != null)
                                {
                                    values += Avx.MaskLoad(residual + offset, mask);
                                }

                                Avx.MaskStore(dest + offset, mask, ActivationKernels.Apply(values, activation));
                            }
                        }
                    }
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

        /// <summary>While positive, the batch's first WholeImages images are shared out whole (Input, Output, Residual at image 0).</summary>
        public int WholeImages;
        public int NextUnit;

        /// <summary>Row bands: per band a claim word, and per worker the round in which each of its layout rows was last filled.</summary>
        public readonly long[] Claims = new long[owner.workers * ClaimStride];
        public readonly long[] FilledRound = new long[owner.rowBands ? owner.workers * owner.layout.PhaseHeight : 0];
        public long Round;

        public void Run(int worker)
        {
            if (WholeImages > 0)
            {
                owner.ComputeImages(worker, this);
            }
            else if (owner.rowBands)
            {
                owner.ComputeBands(worker, this);
            }
            else if (Filling)
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
