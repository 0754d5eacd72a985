using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Simd;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Winograd F(2x2, 3x3) for 3x3 stride-1 convolutions: each 2x2 output tile costs 16 multiplies per channel pair
/// instead of 36. Weights are transformed once (U = G g G^T, 16 matrices OC x IC, packed for the GEMM). The input is
/// laid out in stride-2 phases, where the tiles of the whole image form one flattened grid (a junk tile at the end
/// of each row) and each 4x4 patch element of consecutive tiles is one contiguous run. Per block of tiles, sized so
/// its transformed inputs and products stay in L2: the inputs are transformed (V = B^T d B) straight into the GEMM's
/// packed column panels, multiplied in 16 GEMMs at the micro-kernel's full rate, and transformed back (Y = A^T m A)
/// with bias, residual and activation. Rounding stays close to direct convolution (transform entries are 0, 1, 1/2).
/// </summary>
internal sealed unsafe class WinogradConv : IConvKernel
{
    private const int Elements = WinogradTransforms.Elements;

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
    /// times its one-worker speed), at the price of transforming every block's inputs on each core.
    /// </summary>
    private const long SplitWeightBytes = 512 * 1024;

    private readonly ConvGeometry g;
    private readonly SimdLevel level;
    private readonly FusedActivation activation;
    private readonly int workers;
    private readonly PhaseLayout layout;
    private readonly int[] taps = new int[Elements];
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

    public WinogradConv(in ConvGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, FusedActivation activation, int workers, SimdLevel level)
    {
        g = geometry;
        this.level = level;
        this.activation = activation;
        int tilesH = (g.OutHeight + 1) / 2, tilesW = (g.OutWidth + 1) / 2;

        // Tile (ty, tx) reads padded rows 2ty..2ty+3 and columns 2tx..2tx+3; pad the far edges so all exist.
        var padBottom = Math.Max(g.PadBottom, 2 * tilesH + 2 - g.InHeight - g.PadTop);
        var padRight = Math.Max(g.PadRight, 2 * tilesW + 2 - g.InWidth - g.PadLeft);
        var patches = new ConvGeometry(g.InChannels, g.InHeight, g.InWidth, g.OutChannels, 4, 4, 2, 2, g.PadTop, g.PadLeft, padBottom, padRight);
        layout = new PhaseLayout(patches, g.InChannels, level);
        gridWidth = layout.PhaseWidth;
        tiles = layout.Columns;
        for (var e = 0; e < Elements; e++)
        {
            taps[e] = layout.TapOffset(e / 4, e % 4);
        }

        panelWidth = GemmTile.Columns(level);
        // Where the 16 transformed weight matrices outgrow L2 (256 channels and up), each block reads them all from
        // L3 or memory, so the blocks grow to make fewer of them: a 14x14 image's 56 tiles are then one block.
        var fit = BlockBytes / (sizeof(float) * Elements * (g.InChannels + g.OutChannels)) / panelWidth * panelWidth;
        var weightBytes = TransformedWeightBytes(g);
        if (weightBytes > LargeWeightBytes)
        {
            fit = Math.Max(fit, LargeWeightBlockTiles);
        }

        blockTiles = Math.Clamp(fit, panelWidth, GemmTile.RoundUp(tiles, panelWidth));
        blocks = (tiles + blockTiles - 1) / blockTiles;
        splitAll = weightBytes > SplitWeightBytes && MaxSlices > 1;
        this.workers = Math.Max(1, Math.Min(workers, splitAll ? MaxSlices : Math.Max(blocks, MaxSlices)));

        // Junk tiles of the last block read past the grid; keep every read inside this image's share of scratch.
        var lastRead = (long)taps.Max() + (long)(g.InChannels - 1) * layout.ChannelFloats + (long)blocks * blockTiles;
        layoutFloats = (Math.Max(layout.Floats, lastRead) + 15) / 16 * 16;

        this.bias = new float[g.OutChannels];
        bias.CopyTo(this.bias);
        uStride = GemmPacking.PackedASize(level, g.OutChannels, g.InChannels);
        packedU = new float[uStride * Elements];
        PackTransformedWeights(weights);
        workerFloats = (long)Elements * (g.InChannels + g.OutChannels) * blockTiles + 4L * blockTiles + GemmTile.WorkFloats + 16;
    }

    public ConvAlgorithm Algorithm => ConvAlgorithm.Winograd;

    /// <summary>Bytes of the 16 transformed weight matrices U (OC x IC each), what decides blocking, splitting and choice.</summary>
    public static long TransformedWeightBytes(in ConvGeometry g) => (long)Elements * g.InChannels * g.OutChannels * sizeof(float);

    private int MaxSlices => Math.Max(1, g.OutChannels / SliceChannels);

    /// <summary>Per worker, its own copy of one image's layout and its block buffers.</summary>
    public long ScratchFloats(int batch) => workers * (layoutFloats + workerFloats);

    public bool FusesResidual => true;

    /// <summary>
    /// One image at a time (a batch's layouts together would leave L2 before their tiles are read), in one parallel
    /// call: each worker lays out, in its own copy, just the rows its units read, then computes them, so nothing
    /// waits between fill and compute and no core reads layout rows another core wrote. Adds the residual (when not
    /// null, shaped like the output) before the activation as tiles are stored.
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
            KernelWorkers.Run(job, workers);
        }

        spareJob = job;
    }

    /// <summary>One image's every block and output channel, in the layout and buffers at <paramref name="own"/>.</summary>
    private void RunAlone(float* own, float* input, float* output, float* residual)
    {
        FillRows(input, own, 0, blocks);
        new Span<float>(own + layout.Floats, (int)(layoutFloats - layout.Floats)).Clear();
        for (var block = 0; block < blocks; block++)
        {
            Compute(block, 0, g.OutChannels, own, own + layoutFloats, output, residual);
        }
    }

    /// <summary>Worker <paramref name="worker"/>'s equal, contiguous run of a batch's first <paramref name="images"/> images, each alone.</summary>
    private void RunImages(int worker, int images, float* input, float* output, float* residual, float* scratch)
    {
        var own = scratch + worker * (layoutFloats + workerFloats);
        for (int n = images * worker / workers, end = images * (worker + 1) / workers; n < end; n++)
        {
            RunAlone(own, input + (long)n * g.InputSize, output + (long)n * g.OutputSize, residual == null ? null : residual + (long)n * g.OutputSize);
        }
    }

    /// <summary>
    /// Worker <paramref name="worker"/>'s share of the image: an equal run of whole blocks, and a slice of the output
    /// channels of each block left over (blocks % workers, or every block where the weights are split), so every
    /// worker gets the same work. A worker lays out, in its own copy, just the rows its blocks read; each transforms
    /// the inputs of a split block itself.
    /// </summary>
    private void Run(int worker, float* input, float* output, float* residual, float* scratch)
    {
        var slices = Math.Min(workers, MaxSlices);
        var left = splitAll ? blocks : blocks % workers;
        var whole = blocks - left;
        int begin = whole * worker / workers, end = whole * (worker + 1) / workers;
        var sliced = worker < slices && left > 0;
        var own = scratch + worker * (layoutFloats + workerFloats);
        if (end > begin)
        {
            FillRows(input, own, begin, end);
        }

        if (sliced)
        {
            FillRows(input, own, whole, blocks);
        }

        new Span<float>(own + layout.Floats, (int)(layoutFloats - layout.Floats)).Clear();
        for (var block = begin; block < end; block++)
        {
            Compute(block, 0, g.OutChannels, own, own + layoutFloats, output, residual);
        }

        if (sliced)
        {
            // Slice boundaries on whole register tiles of the GEMM.
            var rows = GemmTile.Rows(level);
            var ocBegin = Math.Min(g.OutChannels, GemmTile.RoundUp(g.OutChannels * worker / slices, rows));
            var ocEnd = worker == slices - 1 ? g.OutChannels : Math.Min(g.OutChannels, GemmTile.RoundUp(g.OutChannels * (worker + 1) / slices, rows));
            for (var block = whole; block < blocks; block++)
            {
                Compute(block, ocBegin, ocEnd, own, own + layoutFloats, output, residual);
            }
        }
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

    /// <summary>One block's output channels [ocBegin, ocEnd): input transform, 16 GEMMs, output transform.</summary>
    private void Compute(int block, int ocBegin, int ocEnd, float* grid, float* buffers, float* output, float* residual)
    {
        var v = (float*)(((nint)buffers + 63) & ~(nint)63);
        var m = v + (long)Elements * g.InChannels * blockTiles;
        var y = m + (long)Elements * g.OutChannels * blockTiles;
        var work = y + 4L * blockTiles;
        var first = block * blockTiles;
        var count = Math.Min(blockTiles, tiles - first);
        var columns = GemmTile.RoundUp(count, panelWidth);
        fixed (float* u = packedU)
        fixed (int* tap = taps)
        {
            TransformInput(grid + first, tap, columns, v);
            for (var e = 0; e < Elements; e++)
            {
                GemmDriver.Run(level, g.OutChannels, columns, g.InChannels, u + e * uStride, null, v + (long)e * g.InChannels * blockTiles, null, GemmDriver.PrepackedB, m + (long)e * g.OutChannels * blockTiles, blockTiles, ocBegin, ocEnd, 0, columns, false, work);
            }
        }

        TransformOutput(m, first, count, y, output, residual, ocBegin, ocEnd);
    }

    /// <summary>V[e] for tiles [first, first + columns) of every channel, written as the GEMM's packed panels (panel, channel, lane).</summary>
    private void TransformInput(float* grid, int* tap, int columns, float* v)
    {
        switch (level)
        {
            case SimdLevel.Vector512:
                InputPanels<Vector512<float>, Width512>(grid, tap, columns, v);
                break;
            case SimdLevel.Vector256:
                InputPanels<Vector256<float>, Width256>(grid, tap, columns, v);
                break;
            case SimdLevel.Vector128:
                InputPanels<Vector128<float>, Width128>(grid, tap, columns, v);
                break;
            default:
                InputPanelsScalar(grid, tap, columns, v);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InputPanels<TVector, TWidth>(float* grid, int* tap, int columns, float* v)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        long elementStride = (long)g.InChannels * blockTiles;
        for (var ic = 0; ic < g.InChannels; ic++)
        {
            var channel = grid + (long)ic * layout.ChannelFloats;
            for (var t = 0; t < columns; t += panelWidth)
            {
                var dest = v + (long)t * g.InChannels + (long)ic * panelWidth;
                for (var lane = 0; lane < panelWidth; lane += TWidth.Count)
                {
                    WinogradTransforms.Input<TVector, TWidth>(channel + t + lane, tap, dest + lane, elementStride);
                }
            }
        }
    }

    private void InputPanelsScalar(float* grid, int* tap, int columns, float* v)
    {
        long elementStride = (long)g.InChannels * blockTiles;
        for (var ic = 0; ic < g.InChannels; ic++)
        {
            var channel = grid + (long)ic * layout.ChannelFloats;
            for (var t = 0; t < columns; t += panelWidth)
            {
                var dest = v + (long)t * g.InChannels + (long)ic * panelWidth;
                for (var lane = 0; lane < panelWidth; lane++)
                {
                    WinogradTransforms.InputScalar(channel + t + lane, tap, dest + lane, elementStride);
                }
            }
        }
    }

    /// <summary>
    /// Y for the block's <paramref name="count"/> tiles, one output channel at a time: transformed into
    /// <paramref name="y"/> (four planes, one per position in the 2x2 tile), then written to the output rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformOutput(float* m, int first, int count, float* y, float* output, float* residual, int ocBegin, int ocEnd)
    {
        long elementStride = (long)g.OutChannels * blockTiles;
        var activate = residual == null;
        for (var oc = ocBegin; oc < ocEnd; oc++)
        {
            var source = m + (long)oc * blockTiles;
            switch (level)
            {
                case SimdLevel.Vector512:
                    OutputTiles<Vector512<float>, Width512>(source, count, elementStride, bias[oc], y, activate);
                    break;
                case SimdLevel.Vector256:
                    OutputTiles<Vector256<float>, Width256>(source, count, elementStride, bias[oc], y, activate);
                    break;
                case SimdLevel.Vector128:
                    OutputTiles<Vector128<float>, Width128>(source, count, elementStride, bias[oc], y, activate);
                    break;
                default:
                    for (var t = 0; t < count; t++)
                    {
                        WinogradTransforms.OutputScalar(source + t, elementStride, bias[oc], y + t, blockTiles, activate, activation);
                    }

                    break;
            }

            var plane = (long)oc * g.OutHeight * g.OutWidth;
            WriteTiles(y, first, count, output + plane, residual == null ? null : residual + plane);
        }
    }

    /// <summary>One channel's tiles, a vector at a time; the last vector may run into the block's junk columns.</summary>
    private void OutputTiles<TVector, TWidth>(float* source, int count, long elementStride, float bias, float* y, bool activate)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        for (var t = 0; t < count; t += TWidth.Count)
        {
            WinogradTransforms.Output<TVector, TWidth>(source + t, elementStride, bias, y + t, blockTiles, activate, activation);
        }
    }

    /// <summary>
    /// Writes tiles [first, first + count) of the flattened grid from the four planes of <paramref name="y"/> into
    /// one output channel, skipping junk tiles and the outputs past odd edges; with a residual, adds it and activates.
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
            for (var i = 0; i < 2; i++)
            {
                var oy = 2 * ty + i;
                if (oy >= outH)
                {
                    break;
                }

                var top = y + (2 * i) * blockTiles - first;
                var bottom = top + blockTiles;
                var row = dest + (long)oy * outW;
                var x0 = 2 * (a - rowStart);
                var x1 = Math.Min(outW, 2 * (b - rowStart));
                if (x0 >= x1)
                {
                    continue;
                }

                // A last odd column takes only the left value of its tile.
                var pairs = (x1 - x0) / 2;
                var extra = residual == null ? null : residual + (long)oy * outW + x0;
                WinogradTransforms.Interleave(level, top + a, bottom + a, row + x0, pairs, extra, activation);
                if ((x1 - x0) % 2 == 1)
                {
                    var last = top[a + pairs];
                    row[x1 - 1] = extra == null ? last : activation.Apply(last + extra[x1 - x0 - 1]);
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

        public void Run(int worker)
        {
            if (WholeImages > 0)
            {
                owner.RunImages(worker, WholeImages, Input, Output, Residual, Scratch);
            }
            else
            {
                owner.Run(worker, Input, Output, Residual, Scratch);
            }
        }
    }

    /// <summary>U = G g G^T for every (oc, ic), computed in double, stored as 16 packed OC x IC matrices.</summary>
    private void PackTransformedWeights(ReadOnlySpan<float> weights)
    {
        double[,] gm = { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } };
        var u = new float[Elements][];
        for (var e = 0; e < Elements; e++)
        {
            u[e] = new float[g.OutChannels * g.InChannels];
        }

        var gg = new double[4, 3];
        for (var oc = 0; oc < g.OutChannels; oc++)
        {
            for (var ic = 0; ic < g.InChannels; ic++)
            {
                var kernel = weights.Slice((oc * g.InChannels + ic) * 9, 9);
                for (var i = 0; i < 4; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        gg[i, j] = gm[i, 0] * kernel[j] + gm[i, 1] * kernel[3 + j] + gm[i, 2] * kernel[6 + j];
                    }
                }

                for (var i = 0; i < 4; i++)
                {
                    for (var j = 0; j < 4; j++)
                    {
                        u[i * 4 + j][oc * g.InChannels + ic] = (float)(gg[i, 0] * gm[j, 0] + gg[i, 1] * gm[j, 1] + gg[i, 2] * gm[j, 2]);
                    }
                }
            }
        }

        fixed (float* packed = packedU)
        {
            for (var e = 0; e < Elements; e++)
            {
                fixed (float* source = u[e])
                {
                    GemmPacking.PackA(level, false, g.OutChannels, g.InChannels, 1f, source, g.InChannels, packed + e * uStride);
                }
            }
        }
    }
}
