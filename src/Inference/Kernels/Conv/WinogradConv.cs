using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Simd;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Winograd F(2x2, 3x3) or F(4x4, 3x3) for 3x3 stride-1 convolutions: each 2x2 output tile costs 16 multiplies per
/// channel pair instead of 36, each 4x4 tile 36 instead of 144. Weights are transformed once (U = G g G^T, 16 or 36
/// matrices OC x IC, packed for the GEMM). The input is laid out in stride-2 (or 4) phases, where the tiles of the
/// whole image form one flattened grid (a junk tile at the end of each row) and each patch element of consecutive
/// tiles is one contiguous run. Per block of tiles, sized to keep its transformed inputs and products in L2 where a
/// panel's worth of tiles allows it (F(4x4)'s smallest block is 590 KB at 64 channels): the
/// inputs are transformed (V = B^T d B) straight into the GEMM's packed column panels, multiplied in 16 (36) GEMMs at
/// the micro-kernel's full rate, and transformed back (Y = A^T m A) with bias, residual and activation. F(2x2)'s
/// rounding stays close to direct convolution (transform entries 0, 1, 1/2); F(4x4)'s entries reach 8 and 1/24,
/// which costs about a decimal digit (docs/kernels.md).
/// </summary>
internal sealed unsafe class WinogradConv : IConvKernel
{
    /// <summary>A block's transformed inputs and products together: a quarter of a 1 MB L2 (measured best of 256 KB to 1 MB).</summary>
    private const int BlockBytes = 256 * 1024;

    /// <summary>Transformed weights past this size are read once per block from beyond L2.</summary>
    private const long LargeWeightBytes = 2L * 1024 * 1024;

    /// <summary>The least tiles per block for such weights.</summary>
    private const int LargeWeightBlockTiles = 64;

    /// <summary>Output channels per slice, at least, where blocks are split between workers.</summary>
    private const int SliceChannels = 32;

    /// <summary>
    /// Transformed weights past half of L2 are split by output channels on several workers, every block: each
    /// core then reads only its slice of them (a 28x28 layer of 128 channels went from 1.32-1.38 to 1.58-1.65
    /// times its one-worker speed). Each block is then two steps: the workers lay out and transform a share of the
    /// input channels each into one V, then multiply it by their slices. Transforming every input on each core
    /// instead, with no step between, ran one such layer alone faster on two workers (`--pair-probe`: 1.77-1.80
    /// against 1.44-1.60 times one worker for F(4x4) at 128 channels), but ResNet-18 at batch 1 on two threads took
    /// 0.94-1.00 of the time this way (ten in-process A/B runs at AVX-512 and AVX2): inside the network each core's
    /// share of the input channels is what it wrote as the layer before's slice.
    /// </summary>
    private const long SplitWeightBytes = 512 * 1024;

    /// <summary>
    /// The same bound for 4x4 tiles: 64 channels (590 KB of weights) are shared out by blocks, which took one plan on
    /// two workers from 1.21 and 1.38 to 1.28 and 1.52 times one worker on the 56x56 layer (`--pair-probe`, two runs
    /// each, when a split block's inputs were transformed on every core).
    /// </summary>
    private const long SplitWeightBytesF4 = 1024 * 1024;

    private readonly ConvGeometry g;
    private readonly int tile;
    private readonly int side;
    private readonly int elements;
    private readonly SimdLevel level;
    private readonly FusedActivation activation;
    private readonly int workers;
    private readonly PhaseLayout layout;
    private readonly int[] taps;
    private readonly int gridWidth;
    private readonly int tiles;
    private readonly int panelWidth;
    private readonly int blockTiles;
    private readonly int blocks;
    private readonly float[] packedU;
    private readonly long uStride;
    private readonly float[] bias;
    private readonly long layoutFloats;
    private readonly long workerFloats;
    private readonly bool splitAll;
    private ParallelJob? spareJob;

    /// <param name="tile">Outputs per tile side: 2 for F(2x2, 3x3), 4 for F(4x4, 3x3).</param>
    public WinogradConv(in ConvGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, FusedActivation activation, int workers, SimdLevel level, int tile = 2)
    {
        if (tile is not (2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(tile), tile, "Winograd tiles are 2x2 or 4x4 outputs.");
        }

        g = geometry;
        this.tile = tile;
        side = tile + 2;
        elements = side * side;
        this.level = level;
        this.activation = activation;
        int tilesH = (g.OutHeight + tile - 1) / tile, tilesW = (g.OutWidth + tile - 1) / tile;

        // Tile (ty, tx) reads padded rows m*ty..m*ty+m+1 and the same columns; pad the far edges so all exist.
        var padBottom = Math.Max(g.PadBottom, tile * tilesH + 2 - g.InHeight - g.PadTop);
        var padRight = Math.Max(g.PadRight, tile * tilesW + 2 - g.InWidth - g.PadLeft);
        var patches = new ConvGeometry(g.InChannels, g.InHeight, g.InWidth, g.OutChannels, side, side, tile, tile, g.PadTop, g.PadLeft, padBottom, padRight);
        layout = new PhaseLayout(patches, g.InChannels, level);
        gridWidth = layout.PhaseWidth;
        tiles = layout.Columns;
        taps = new int[elements];
        for (var e = 0; e < elements; e++)
        {
            taps[e] = layout.TapOffset(e / side, e % side);
        }

        panelWidth = GemmTile.Columns(level);
        // Where the transformed weight matrices outgrow L2 (256 channels and up for 2x2 tiles, 128 for 4x4), each
        // block reads them all from L3 or memory, so the blocks grow to make fewer of them: a 14x14 image's 56 2x2
        // tiles, or a 28x28 image's 56 4x4 tiles, are then one block.
        var fit = BlockBytes / (sizeof(float) * elements * (g.InChannels + g.OutChannels)) / panelWidth * panelWidth;
        var weightBytes = TransformedWeightBytes(g, tile);
        if (weightBytes > LargeWeightBytes)
        {
            fit = Math.Max(fit, LargeWeightBlockTiles);
        }

        blockTiles = Math.Clamp(fit, panelWidth, GemmTile.RoundUp(tiles, panelWidth));
        blocks = (tiles + blockTiles - 1) / blockTiles;
        splitAll = weightBytes > (tile == 4 ? SplitWeightBytesF4 : SplitWeightBytes) && MaxSlices > 1;
        this.workers = Math.Max(1, Math.Min(workers, splitAll ? MaxSlices : Math.Max(blocks, MaxSlices)));

        // Junk tiles of the last block read past the grid; keep every read inside this image's share of scratch.
        var lastRead = (long)taps.Max() + (long)(g.InChannels - 1) * layout.ChannelFloats + (long)blocks * blockTiles;
        layoutFloats = (Math.Max(layout.Floats, lastRead) + 15) / 16 * 16;

        this.bias = new float[g.OutChannels];
        bias.CopyTo(this.bias);
        uStride = GemmPacking.PackedASize(level, g.OutChannels, g.InChannels);
        packedU = new float[uStride * elements];
        PackTransformedWeights(weights);
        workerFloats = (long)elements * (VStride + MStride) + OutputPlaneFloats + TransformFloats + GemmTile.WorkFloats + 16;
    }

    public ConvAlgorithm Algorithm => tile == 2 ? ConvAlgorithm.Winograd : ConvAlgorithm.WinogradF4;

    /// <summary>Bytes of the transformed weight matrices U (OC x IC each, 16 for 2x2 tiles, 36 for 4x4), what decides blocking, splitting and choice.</summary>
    public static long TransformedWeightBytes(in ConvGeometry g, int tile = 2) => (long)(tile + 2) * (tile + 2) * g.InChannels * g.OutChannels * sizeof(float);

    /// <summary>
    /// Floats from one element's transformed inputs (or products) to the next: a block's channels, and a cache line
    /// more, so the 16 or 36 elements of a tile, which the transforms read or write together, do not all fall in
    /// one L1 set (whole multiples of 4 KB apart, as 64 channels of 32 tiles are).
    /// </summary>
    private long VStride => ((long)g.InChannels * blockTiles) + 16;

    private long MStride => ((long)g.OutChannels * blockTiles) + 16;

    /// <summary>
    /// A block's outputs as tile-position planes (m x m of them), and for 4x4 tiles two rows of pairs that the
    /// four-way interleave goes through.
    /// </summary>
    private long OutputPlaneFloats => ((long)tile * tile + (tile == 4 ? 4 : 0)) * blockTiles;

    /// <summary>The F(4x4) transforms' buffer of 36 vectors (rows of the input transform, or columns of the output one).</summary>
    private static long TransformFloats => WinogradF4Transforms.Elements * 16L;

    private int MaxSlices => Math.Max(1, g.OutChannels / SliceChannels);

    /// <summary>Workers that take a slice of a block's output channels.</summary>
    private int Slices => Math.Min(workers, MaxSlices);

    /// <summary>Worker <paramref name="worker"/>'s share of scratch: its layout, then its buffers.</summary>
    private float* WorkerScratch(float* scratch, int worker) => scratch + worker * (layoutFloats + workerFloats);

    /// <summary>Where the weights are split, the one V every worker multiplies: in worker 0's buffers.</summary>
    private float* SharedTransformedInputs(float* scratch) => TransformedInputs(scratch + layoutFloats);

    /// <summary>Per worker, its own copy of one image's layout and its block buffers.</summary>
    public long ScratchFloats(int batch) => workers * (layoutFloats + workerFloats);

    public bool FusesResidual => true;

    /// <summary>
    /// One image at a time (a batch's layouts together would leave L2 before their tiles are read), in one parallel
    /// call: each worker lays out, in its own copy, just the rows its units read, then computes them, so nothing
    /// waits between fill and compute and no core reads layout rows another core wrote. Where the weights are split,
    /// two calls a block instead (one V, see <see cref="SplitWeightBytes"/>). Adds the residual (when not null,
    /// shaped like the output) before the activation as tiles are stored.
    /// </summary>
    public void Execute(float* input, float* residual, float* output, float* scratch, int batch)
    {
        if (workers == 1)
        {
            for (var n = 0; n < batch; n++)
            {
                RunAlone(scratch, input + (long)n * g.InputSize, output + (long)n * g.OutputSize, residual == null ? null : residual + (long)n * g.OutputSize);
            }

            return;
        }

        var job = Interlocked.Exchange(ref spareJob, null) ?? new ParallelJob(this);
        job.Scratch = scratch;
        job.Input = input;
        job.Output = output;
        job.Residual = residual;

        // Whole images to each worker while every worker gets as many: nothing is shared, so each core reads only
        // what it wrote (in the layers before too, which split a batch the same way). The rest one image at a time.
        var shared = batch % workers;
        job.WholeImages = batch - shared;
        if (job.WholeImages > 0)
        {
            KernelWorkers.Run(job, workers);
            job.WholeImages = 0;
        }

        for (var n = batch - shared; n < batch; n++)
        {
            job.Input = input + (long)n * g.InputSize;
            job.Output = output + (long)n * g.OutputSize;
            job.Residual = residual == null ? null : residual + (long)n * g.OutputSize;
            if (!splitAll)
            {
                KernelWorkers.Run(job, workers);
                continue;
            }

            // Every block's output channels are split: the workers first share out the channels to lay out and
            // transform into one set of transformed inputs, then the output channels to multiply and transform back.
            ClearPastLayout(scratch);
            for (var block = 0; block < blocks; block++)
            {
                job.Block = block;
                job.Step = SplitStep.Transform;
                KernelWorkers.Run(job, workers);
                job.Step = SplitStep.Multiply;
                KernelWorkers.Run(job, workers);
            }

            job.Step = SplitStep.None;
        }

        spareJob = job;
    }

    /// <summary>One image's every block and output channel, in the layout and buffers at <paramref name="own"/>.</summary>
    private void RunAlone(float* own, float* input, float* output, float* residual)
    {
        FillRows(input, own, 0, blocks);
        ClearPastLayout(own);
        for (var block = 0; block < blocks; block++)
        {
            Compute(block, 0, g.OutChannels, own, own + layoutFloats, output, residual);
        }
    }

    /// <summary>
    /// Zeroes the floats between a layout at <paramref name="own"/> and the end of its share of scratch, which the
    /// last block's junk tiles read: they hold nothing left from other work.
    /// </summary>
    private void ClearPastLayout(float* own) => new Span<float>(own + layout.Floats, (int)(layoutFloats - layout.Floats)).Clear();

    /// <summary>Worker <paramref name="worker"/>'s equal, contiguous run of a batch's first <paramref name="images"/> images, each alone.</summary>
    private void RunImages(int worker, int images, float* input, float* output, float* residual, float* scratch)
    {
        var own = WorkerScratch(scratch, worker);
        for (int n = images * worker / workers, end = images * (worker + 1) / workers; n < end; n++)
        {
            RunAlone(own, input + (long)n * g.InputSize, output + (long)n * g.OutputSize, residual == null ? null : residual + (long)n * g.OutputSize);
        }
    }

    /// <summary>
    /// Worker <paramref name="worker"/>'s share of the image where the weights are not split: an equal run of whole
    /// blocks, and a slice of the output channels of each block left over (blocks % workers), so every worker gets
    /// the same work. A worker lays out, in its own copy, just the rows its blocks read; each transforms the inputs
    /// of a block left over itself.
    /// </summary>
    private void Run(int worker, float* input, float* output, float* residual, float* scratch)
    {
        var slices = Slices;
        var left = blocks % workers;
        var whole = blocks - left;
        int begin = whole * worker / workers, end = whole * (worker + 1) / workers;
        var sliced = worker < slices && left > 0;
        var own = WorkerScratch(scratch, worker);
        if (end > begin)
        {
            FillRows(input, own, begin, end);
        }

        if (sliced)
        {
            FillRows(input, own, whole, blocks);
        }

        ClearPastLayout(own);
        for (var block = begin; block < end; block++)
        {
            Compute(block, 0, g.OutChannels, own, own + layoutFloats, output, residual);
        }

        if (sliced)
        {
            var (ocBegin, ocEnd) = OutputSlice(worker, slices);
            for (var block = whole; block < blocks; block++)
            {
                Compute(block, ocBegin, ocEnd, own, own + layoutFloats, output, residual);
            }
        }
    }

    /// <summary>Worker <paramref name="worker"/>'s output channels of <paramref name="slices"/>, their boundaries on whole register tiles of the GEMM.</summary>
    private (int Begin, int End) OutputSlice(int worker, int slices)
    {
        var rows = GemmTile.Rows(level);
        var begin = Math.Min(g.OutChannels, GemmTile.RoundUp(g.OutChannels * worker / slices, rows));
        var end = worker == slices - 1 ? g.OutChannels : Math.Min(g.OutChannels, GemmTile.RoundUp(g.OutChannels * (worker + 1) / slices, rows));
        return (begin, end);
    }

    /// <summary>
    /// Where the weights are split, a worker's share of one block's input channels: laid out (with the first block)
    /// and transformed into the one V that every worker then multiplies, both in worker 0's part of the scratch.
    /// </summary>
    private void TransformShare(int worker, int block, float* input, float* scratch)
    {
        int icBegin = g.InChannels * worker / workers, icEnd = g.InChannels * (worker + 1) / workers;
        if (block == 0)
        {
            layout.Fill(input, scratch, icBegin, icEnd, 0);
        }

        var own = WorkerScratch(scratch, worker);
        TransformBlock(block, icBegin, icEnd, scratch, SharedTransformedInputs(scratch), own + layoutFloats);
    }

    /// <summary>Where the weights are split, a worker's slice of one block's output channels, multiplied against the shared V and transformed back.</summary>
    private void MultiplyShare(int worker, int block, float* output, float* residual, float* scratch)
    {
        var slices = Slices;
        if (worker >= slices)
        {
            return;
        }

        var (ocBegin, ocEnd) = OutputSlice(worker, slices);
        var own = WorkerScratch(scratch, worker);
        MultiplyAndStore(block, ocBegin, ocEnd, SharedTransformedInputs(scratch), own + layoutFloats, output, residual);
    }

    /// <summary>
    /// Lays out every phase row that blocks [first, end) read: the rows of their tiles (the last panel's junk tiles
    /// included) and <see cref="PhaseLayout.RowReach"/> more, plus one for the junk column, whose right-hand patch
    /// elements wrap into the next row.
    /// </summary>
    private void FillRows(float* input, float* own, int first, int end)
    {
        var lastBlock = end - 1;
        var lastColumn = lastBlock * blockTiles + GemmTile.RoundUp(Math.Min(blockTiles, tiles - lastBlock * blockTiles), panelWidth) - 1;
        var firstRow = first * blockTiles / gridWidth;
        var endRow = Math.Min(layout.PhaseHeight, lastColumn / gridWidth + 1 + layout.RowReach + 1);
        layout.Fill(input, own, 0, g.InChannels, 0, firstRow, endRow);
    }

    /// <summary>One block's output channels [ocBegin, ocEnd): input transform, 16 (36) GEMMs, output transform.</summary>
    private void Compute(int block, int ocBegin, int ocEnd, float* grid, float* buffers, float* output, float* residual)
    {
        var v = TransformedInputs(buffers);
        TransformBlock(block, 0, g.InChannels, grid, v, buffers);
        MultiplyAndStore(block, ocBegin, ocEnd, v, buffers, output, residual);
    }

    /// <summary>Where a worker's buffers keep a block's transformed inputs V (16 or 36 of them, a cache line aligned).</summary>
    private static float* TransformedInputs(float* buffers) => (float*)(((nint)buffers + 63) & ~(nint)63);

    /// <summary>V for input channels [icBegin, icEnd) of one block, into <paramref name="v"/>; the transform's scratch from <paramref name="buffers"/>.</summary>
    private void TransformBlock(int block, int icBegin, int icEnd, float* grid, float* v, float* buffers)
    {
        var first = block * blockTiles;
        var columns = GemmTile.RoundUp(Math.Min(blockTiles, tiles - first), panelWidth);
        fixed (int* tap = taps)
        {
            TransformInput(grid + first, tap, columns, icBegin, icEnd, v, Transform(buffers));
        }
    }

    /// <summary>The GEMMs of one block's output channels [ocBegin, ocEnd) against V, then their output transform, in this worker's buffers.</summary>
    private void MultiplyAndStore(int block, int ocBegin, int ocEnd, float* v, float* buffers, float* output, float* residual)
    {
        var m = TransformedInputs(buffers) + (long)elements * VStride;
        var y = m + (long)elements * MStride;
        var transform = Transform(buffers);
        var work = transform + TransformFloats;
        var first = block * blockTiles;
        var count = Math.Min(blockTiles, tiles - first);
        var columns = GemmTile.RoundUp(count, panelWidth);
        fixed (float* u = packedU)
        {
            // The GEMM prefetches each next A panel of its own element; the next element's first panel is fetched here,
            // so it too arrives while this element is multiplied.
            var firstPanelLines = GemmTile.Rows(level) * Math.Min(g.InChannels, GemmTile.KBlock) * sizeof(float) / 64;
            for (var e = 0; e < elements; e++)
            {
                if (e + 1 < elements)
                {
                    CachePrefetch.Lines(u + ((e + 1) * uStride) + ((long)ocBegin * g.InChannels), firstPanelLines);
                }

                GemmDriver.Run(level, g.OutChannels, columns, g.InChannels, u + e * uStride, null, v + (long)e * VStride, null, GemmDriver.PrepackedB, m + (long)e * MStride, blockTiles, ocBegin, ocEnd, 0, columns, false, work);
            }
        }

        TransformOutput(m, first, count, y, transform, output, residual, ocBegin, ocEnd);
    }

    /// <summary>The F(4x4) transforms' buffer in a worker's buffers, after V, the products and the output planes.</summary>
    private float* Transform(float* buffers) => TransformedInputs(buffers) + (long)elements * (VStride + MStride) + OutputPlaneFloats;

    /// <summary>V[e] for tiles [first, first + columns) of channels [icBegin, icEnd), written as the GEMM's packed panels (panel, channel, lane).</summary>
    private void TransformInput(float* grid, int* tap, int columns, int icBegin, int icEnd, float* v, float* transform)
    {
        switch (level)
        {
            case SimdLevel.Vector512:
                InputPanels<Vector512<float>, Width512>(grid, tap, columns, icBegin, icEnd, v, transform);
                break;
            case SimdLevel.Vector256:
                InputPanels<Vector256<float>, Width256>(grid, tap, columns, icBegin, icEnd, v, transform);
                break;
            case SimdLevel.Vector128:
                InputPanels<Vector128<float>, Width128>(grid, tap, columns, icBegin, icEnd, v, transform);
                break;
            default:
                InputPanelsScalar(grid, tap, columns, icBegin, icEnd, v);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InputPanels<TVector, TWidth>(float* grid, int* tap, int columns, int icBegin, int icEnd, float* v, float* transform)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var elementStride = VStride;
        for (var ic = icBegin; ic < icEnd; ic++)
        {
            var channel = grid + (long)ic * layout.ChannelFloats;
            for (var t = 0; t < columns; t += panelWidth)
            {
                var dest = v + (long)t * g.InChannels + (long)ic * panelWidth;
                for (var lane = 0; lane < panelWidth; lane += TWidth.Count)
                {
                    if (tile == 4)
                    {
                        WinogradF4Transforms.Input<TVector, TWidth>(channel + t + lane, tap, dest + lane, elementStride, transform);
                    }
                    else
                    {
                        WinogradTransforms.Input<TVector, TWidth>(channel + t + lane, tap, dest + lane, elementStride);
                    }
                }
            }
        }
    }

    private void InputPanelsScalar(float* grid, int* tap, int columns, int icBegin, int icEnd, float* v)
    {
        var elementStride = VStride;
        for (var ic = icBegin; ic < icEnd; ic++)
        {
            var channel = grid + (long)ic * layout.ChannelFloats;
            for (var t = 0; t < columns; t += panelWidth)
            {
                var dest = v + (long)t * g.InChannels + (long)ic * panelWidth;
                for (var lane = 0; lane < panelWidth; lane++)
                {
                    if (tile == 4)
                    {
                        WinogradF4Transforms.InputScalar(channel + t + lane, tap, dest + lane, elementStride);
                    }
                    else
                    {
                        WinogradTransforms.InputScalar(channel + t + lane, tap, dest + lane, elementStride);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Y for the block's <paramref name="count"/> tiles, one output channel at a time: transformed into
    /// <paramref name="y"/> (a plane per position in the tile), then written to the output rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformOutput(float* m, int first, int count, float* y, float* transform, float* output, float* residual, int ocBegin, int ocEnd)
    {
        var elementStride = MStride;
        var activate = residual == null;
        for (var oc = ocBegin; oc < ocEnd; oc++)
        {
            var source = m + (long)oc * blockTiles;
            switch (level)
            {
                case SimdLevel.Vector512:
                    OutputTiles<Vector512<float>, Width512>(source, count, elementStride, bias[oc], y, transform, activate);
                    break;
                case SimdLevel.Vector256:
                    OutputTiles<Vector256<float>, Width256>(source, count, elementStride, bias[oc], y, transform, activate);
                    break;
                case SimdLevel.Vector128:
                    OutputTiles<Vector128<float>, Width128>(source, count, elementStride, bias[oc], y, transform, activate);
                    break;
                default:
                    for (var t = 0; t < count; t++)
                    {
                        if (tile == 4)
                        {
                            WinogradF4Transforms.OutputScalar(source + t, elementStride, bias[oc], y + t, blockTiles, activate, activation);
                        }
                        else
                        {
                            WinogradTransforms.OutputScalar(source + t, elementStride, bias[oc], y + t, blockTiles, activate, activation);
                        }
                    }

                    break;
            }

            var plane = (long)oc * g.OutHeight * g.OutWidth;
            WriteTiles(y, first, count, output + plane, residual == null ? null : residual + plane);
        }
    }

    /// <summary>One channel's tiles, a vector at a time; the last vector may run into the block's junk columns.</summary>
    private void OutputTiles<TVector, TWidth>(float* source, int count, long elementStride, float bias, float* y, float* transform, bool activate)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        for (var t = 0; t < count; t += TWidth.Count)
        {
            if (tile == 4)
            {
                WinogradF4Transforms.Output<TVector, TWidth>(source + t, elementStride, bias, y + t, blockTiles, activate, activation, transform);
            }
            else
            {
                WinogradTransforms.Output<TVector, TWidth>(source + t, elementStride, bias, y + t, blockTiles, activate, activation);
            }
        }
    }

    /// <summary>
    /// Writes tiles [first, first + count) of the flattened grid from the planes of <paramref name="y"/> into one
    /// output channel, skipping junk tiles and the outputs past the edges; with a residual, adds it and activates.
    /// </summary>
    private void WriteTiles(float* y, int first, int count, float* dest, float* residual)
    {
        int outH = g.OutHeight, outW = g.OutWidth;
        var end = first + count;
        for (var rowStart = first / gridWidth * gridWidth; rowStart < end; rowStart += gridWidth)
        {
            var a = Math.Max(first, rowStart);
            var b = Math.Min(end, rowStart + gridWidth);
            var ty = rowStart / gridWidth;
            for (var i = 0; i < tile; i++)
            {
                var oy = tile * ty + i;
                if (oy >= outH)
                {
                    break;
                }

                // Plane j holds output column j of each tile in this tile row's row i.
                var planes = y + (long)tile * i * blockTiles - first + a;
                var row = dest + (long)oy * outW;
                var x0 = tile * (a - rowStart);
                var x1 = Math.Min(outW, tile * (b - rowStart));
                if (x0 >= x1)
                {
                    continue;
                }

                var whole = (x1 - x0) / tile;
                var extra = residual == null ? null : residual + (long)oy * outW + x0;
                if (tile == 2)
                {
                    WinogradTransforms.Interleave(level, planes, planes + blockTiles, row + x0, whole, extra, activation);
                }
                else if (level == SimdLevel.Vector512 && Avx512F.IsSupported)
                {
                    WinogradF4Transforms.WriteRow512(planes, blockTiles, whole, row + x0, extra, activation);
                }
                else
                {
                    // Four columns as two rounds of pairs: (0, 2) and (1, 3), then those two rows.
                    var evens = y + (long)tile * tile * blockTiles;
                    var odds = evens + 2L * blockTiles;
                    WinogradTransforms.Interleave(level, planes, planes + 2 * blockTiles, evens, whole, null, activation);
                    WinogradTransforms.Interleave(level, planes + blockTiles, planes + 3 * blockTiles, odds, whole, null, activation);
                    WinogradTransforms.Interleave(level, evens, odds, row + x0, 2 * whole, extra, activation);
                }

                // A last tile cut by the right edge gives only its first columns.
                for (var j = 0; j < (x1 - x0) % tile; j++)
                {
                    var value = planes[(j * blockTiles) + whole];
                    var at = (tile * whole) + j;
                    row[x0 + at] = extra == null ? value : activation.Apply(value + extra[at]);
                }
            }
        }
    }

    /// <summary>One image's pointers for the workers; kept and reused, so Execute allocates nothing.</summary>
    private sealed class ParallelJob(WinogradConv owner) : IParallelWork
    {
        public float* Input;
        public float* Output;
        public float* Residual;
        public float* Scratch;

        /// <summary>While positive, the batch's first WholeImages images are shared out whole; else one image is split.</summary>
        public int WholeImages;

        /// <summary>Where the weights are split: the block and the step of it the workers run.</summary>
        public int Block;

        public SplitStep Step;

        public void Run(int worker)
        {
            if (WholeImages > 0)
            {
                owner.RunImages(worker, WholeImages, Input, Output, Residual, Scratch);
            }
            else if (Step == SplitStep.Transform)
            {
                owner.TransformShare(worker, Block, Input, Scratch);
            }
            else if (Step == SplitStep.Multiply)
            {
                owner.MultiplyShare(worker, Block, Output, Residual, Scratch);
            }
            else
            {
                owner.Run(worker, Input, Output, Residual, Scratch);
            }
        }
    }

    /// <summary>The two steps of a block whose weights are split between the workers.</summary>
    private enum SplitStep
    {
        None,
        Transform,
        Multiply,
    }

    /// <summary>U = G g G^T for every (oc, ic), computed in double, stored as 16 (36) packed OC x IC matrices.</summary>
    private void PackTransformedWeights(ReadOnlySpan<float> weights)
    {
        var gm = tile == 2 ? WinogradTransforms.G : WinogradF4Transforms.G;
        var u = new float[elements][];
        for (var e = 0; e < elements; e++)
        {
            u[e] = new float[g.OutChannels * g.InChannels];
        }

        var gg = new double[side, 3];
        for (var oc = 0; oc < g.OutChannels; oc++)
        {
            for (var ic = 0; ic < g.InChannels; ic++)
            {
                var kernel = weights.Slice((oc * g.InChannels + ic) * 9, 9);
                for (var i = 0; i < side; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        gg[i, j] = gm[i, 0] * kernel[j] + gm[i, 1] * kernel[3 + j] + gm[i, 2] * kernel[6 + j];
                    }
                }

                for (var i = 0; i < side; i++)
                {
                    for (var j = 0; j < side; j++)
                    {
                        u[i * side + j][oc * g.InChannels + ic] = (float)(gg[i, 0] * gm[j, 0] + gg[i, 1] * gm[j, 1] + gg[i, 2] * gm[j, 2]);
                    }
                }
            }
        }

        fixed (float* packed = packedU)
        {
            for (var e = 0; e < elements; e++)
            {
                fixed (float* source = u[e])
                {
                    GemmPacking.PackA(level, false, g.OutChannels, g.InChannels, 1f, source, g.InChannels, packed + e * uStride);
                }
            }
        }
    }
}
