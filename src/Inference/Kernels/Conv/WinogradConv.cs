using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvService.Inference.Kernels.Gemm;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Winograd F(2x2, 3x3) for 3x3 stride-1 convolutions: each 2x2 output tile costs 16 multiplies per channel pair
/// instead of 36. Weights are transformed once (U = G g G^T, 16 matrices OC x IC, packed for the GEMM); per block
/// of tile rows the inputs are transformed (V = B^T d B, vectorised across 16 tiles, read from the stride-2 phase
/// layout so each tile's 4x4 patch element is one contiguous run), multiplied in 16 GEMMs and transformed back
/// (Y = A^T m A) with bias and activation. Rounding stays close to direct convolution (transform entries are 0, 1, 1/2).
/// </summary>
internal sealed unsafe class WinogradConv : IConvKernel, IShareKernel
{
    private const int Elements = 16;

    private readonly ConvGeometry g;
    private readonly SimdLevel level;
    private readonly FusedActivation activation;
    private readonly int workers;
    private readonly PhaseLayout layout;
    private readonly int[] patch = new int[Elements];
    private readonly int tilesH;
    private readonly int tilesW;
    private readonly int rowsPerBlock;
    private readonly int blocks;
    private readonly int pitch;
    private readonly float[] packedU;
    private readonly long uStride;
    private readonly float[] bias;
    private readonly int[] offsets;
    private readonly long layoutFloats;
    private readonly long workerFloats;
    private ShareJob? spareJob;

    public WinogradConv(in ConvGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, FusedActivation activation, int workers, SimdLevel level)
    {
        g = geometry;
        this.level = level;
        this.activation = activation;
        this.workers = workers;
        tilesH = (g.OutHeight + 1) / 2;
        tilesW = (g.OutWidth + 1) / 2;

        // Tile (ty, tx) reads padded rows 2ty..2ty+3 and columns 2tx..2tx+3; pad the far edges so all exist.
        var padBottom = Math.Max(g.PadBottom, 2 * tilesH + 2 - g.InHeight - g.PadTop);
        var padRight = Math.Max(g.PadRight, 2 * tilesW + 2 - g.InWidth - g.PadLeft);
        var patches = new ConvGeometry(g.InChannels, g.InHeight, g.InWidth, g.OutChannels, 4, 4, 2, 2, g.PadTop, g.PadLeft, padBottom, padRight);
        layout = new PhaseLayout(patches, g.InChannels, level);
        layoutFloats = layout.Floats;
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                patch[r * 4 + c] = layout.TapOffset(r, c);
            }
        }

        // Blocks of whole tile rows, up to about 256 tiles (the transformed inputs and products of a block stay in
        // L2), preferring a tile count that fills the GEMM's 32-wide column panels.
        rowsPerBlock = 1;
        var bestWaste = double.MaxValue;
        for (var r = 1; r <= Math.Min(tilesH, Math.Max(1, 256 / tilesW)); r++)
        {
            var tiles = r * tilesW;
            var waste = (GemmTile.RoundUp(tiles, 32) - tiles) / (double)tiles + 0.5 / r;
            if (waste < bestWaste)
            {
                bestWaste = waste;
                rowsPerBlock = r;
            }
        }

        blocks = (tilesH + rowsPerBlock - 1) / rowsPerBlock;
        pitch = GemmTile.RoundUp(rowsPerBlock * tilesW, 16);
        offsets = new int[g.InChannels];
        for (var ic = 0; ic < g.InChannels; ic++)
        {
            offsets[ic] = ic * pitch;
        }

        this.bias = new float[g.OutChannels];
        bias.CopyTo(this.bias);
        uStride = GemmPacking.PackedASize(level, g.OutChannels, g.InChannels);
        packedU = new float[uStride * Elements];
        PackTransformedWeights(weights);
        workerFloats = (long)Elements * (g.InChannels + g.OutChannels) * pitch + GemmTile.WorkFloats;
    }

    public ConvAlgorithm Algorithm => ConvAlgorithm.Winograd;

    public long ScratchFloats(int batch) => batch * layoutFloats + workers * workerFloats;

    public bool FusesResidual => false;

    public void Execute(float* input, float* residual, float* output, float* scratch, int batch)
    {
        if (residual != null)
        {
            throw new ArgumentException("This kernel stores the bare convolution; its plan adds the residual.", nameof(residual));
        }

        ShareJob.Execute(ref spareJob, this, input, output, scratch, batch, workers, fill: true);
    }

    public void FillShare(int worker, float* input, float* scratch, int batch)
    {
        var total = batch * g.InChannels;
        layout.FillPairs(input, scratch, total * worker / workers, total * (worker + 1) / workers);
    }

    /// <summary>The tiles read the filled layout only, never the input.</summary>
    void IShareKernel.ComputeShare(int worker, float* input, float* output, float* scratch, int batch) => Compute(worker, output, scratch, batch);

    private void Compute(int worker, float* output, float* scratch, int batch)
    {
        var v = scratch + batch * layoutFloats + worker * workerFloats;
        var m = v + (long)Elements * g.InChannels * pitch;
        var work = m + (long)Elements * g.OutChannels * pitch;
        var total = batch * blocks;
        int begin = total * worker / workers, end = total * (worker + 1) / workers;
        fixed (float* u = packedU)
        fixed (int* offs = offsets)
        {
            for (var item = begin; item < end; item++)
            {
                int n = item / blocks, block = item % blocks;
                var ty0 = block * rowsPerBlock;
                var rows = Math.Min(rowsPerBlock, tilesH - ty0);
                var count = rows * tilesW;
                TransformInput(scratch + n * layoutFloats, ty0, rows, v);
                for (var e = 0; e < Elements; e++)
                {
                    GemmDriver.Run(level, g.OutChannels, count, g.InChannels, u + e * uStride, null, v + (long)e * g.InChannels * pitch, offs, 1, m + (long)e * g.OutChannels * pitch, pitch, 0, g.OutChannels, 0, count, false, work);
                }

                TransformOutput(m, ty0, rows, output + (long)n * g.OutputSize);
            }
        }
    }

    /// <summary>V[e][ic][tile] = (B^T d B)[e] for every tile of the block's rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformInput(float* image, int ty0, int rows, float* v)
    {
        var d = stackalloc float[Elements];
        var t = stackalloc float[Elements];
        var plane = (long)g.InChannels * pitch;
        for (var ic = 0; ic < g.InChannels; ic++)
        {
            var channel = image + (long)ic * layout.ChannelFloats;
            var dest = v + (long)ic * pitch;
            for (var row = 0; row < rows; row++)
            {
                var source = channel + (ty0 + row) * layout.PhaseWidth;
                var tile0 = row * tilesW;
                var tx = 0;
                if (level == SimdLevel.Vector512 && tilesW >= 16)
                {
                    for (; ; tx += 16)
                    {
                        tx = Math.Min(tx, tilesW - 16);
                        InputTiles512(source + tx, dest + tile0 + tx, plane);
                        if (tx + 16 >= tilesW)
                        {
                            break;
                        }
                    }

                    continue;
                }

                for (; tx < tilesW; tx++)
                {
                    for (var e = 0; e < Elements; e++)
                    {
                        d[e] = source[patch[e] + tx];
                    }

                    for (var r = 0; r < 4; r++)
                    {
                        t[r * 4 + 0] = d[r * 4 + 0] - d[r * 4 + 2];
                        t[r * 4 + 1] = d[r * 4 + 1] + d[r * 4 + 2];
                        t[r * 4 + 2] = d[r * 4 + 2] - d[r * 4 + 1];
                        t[r * 4 + 3] = d[r * 4 + 1] - d[r * 4 + 3];
                    }

                    var o = dest + tile0 + tx;
                    for (var c = 0; c < 4; c++)
                    {
                        o[(0 * 4 + c) * plane] = t[0 * 4 + c] - t[2 * 4 + c];
                        o[(1 * 4 + c) * plane] = t[1 * 4 + c] + t[2 * 4 + c];
                        o[(2 * 4 + c) * plane] = t[2 * 4 + c] - t[1 * 4 + c];
                        o[(3 * 4 + c) * plane] = t[1 * 4 + c] - t[3 * 4 + c];
                    }
                }
            }
        }
    }

    /// <summary>16 consecutive tiles at once: each patch element of the 16 tiles is one contiguous load.</summary>
    private void InputTiles512(float* source, float* dest, long plane)
    {
        Span<Vector512<float>> w = stackalloc Vector512<float>[Elements];
        for (var r = 0; r < 4; r++)
        {
            var d0 = Vector512.Load(source + patch[r * 4 + 0]);
            var d1 = Vector512.Load(source + patch[r * 4 + 1]);
            var d2 = Vector512.Load(source + patch[r * 4 + 2]);
            var d3 = Vector512.Load(source + patch[r * 4 + 3]);
            w[r * 4 + 0] = d0 - d2;
            w[r * 4 + 1] = d1 + d2;
            w[r * 4 + 2] = d2 - d1;
            w[r * 4 + 3] = d1 - d3;
        }

        for (var c = 0; c < 4; c++)
        {
            (w[0 * 4 + c] - w[2 * 4 + c]).Store(dest + (0 * 4 + c) * plane);
            (w[1 * 4 + c] + w[2 * 4 + c]).Store(dest + (1 * 4 + c) * plane);
            (w[2 * 4 + c] - w[1 * 4 + c]).Store(dest + (2 * 4 + c) * plane);
            (w[1 * 4 + c] - w[3 * 4 + c]).Store(dest + (3 * 4 + c) * plane);
        }
    }

    /// <summary>Y = A^T m A per tile, plus bias and activation, written to the valid outputs of each 2x2 tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformOutput(float* m, int ty0, int rows, float* output)
    {
        var plane = (long)g.OutChannels * pitch;
        var y = stackalloc float[4 * 16];
        int outH = g.OutHeight, outW = g.OutWidth;
        var vector = level == SimdLevel.Vector512 && tilesW >= 16;
        for (var oc = 0; oc < g.OutChannels; oc++)
        {
            var source = m + (long)oc * pitch;
            var dest = output + (long)oc * outH * outW;
            var b = bias[oc];
            for (var row = 0; row < rows; row++)
            {
                var oy = 2 * (ty0 + row);
                var twoRows = oy + 1 < outH;
                var rowSource = source + row * tilesW;
                var rowDest = dest + (long)oy * outW;
                for (var tx = 0; tx < tilesW; tx += 16)
                {
                    var first = vector ? Math.Min(tx, tilesW - 16) : tx;
                    var width = Math.Min(16, tilesW - first);
                    if (vector)
                    {
                        OutputTiles512(rowSource + first, plane, b, y);
                    }
                    else
                    {
                        OutputTilesScalar(rowSource + first, plane, b, width, y);
                    }

                    ActivationKernels.Apply(new Span<float>(y, 4 * 16), activation, level);
                    var ox = 2 * first;
                    if (vector && twoRows && ox + 32 <= outW)
                    {
                        Interleave512(y, y + 16, rowDest + ox);
                        Interleave512(y + 32, y + 48, rowDest + outW + ox);
                        continue;
                    }

                    for (var j = 0; j < width; j++, ox += 2)
                    {
                        var right = ox + 1 < outW;
                        rowDest[ox] = y[j];
                        if (right)
                        {
                            rowDest[ox + 1] = y[16 + j];
                        }

                        if (twoRows)
                        {
                            rowDest[outW + ox] = y[32 + j];
                            if (right)
                            {
                                rowDest[outW + ox + 1] = y[48 + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Writes left[0], right[0], left[1], right[1], ... (32 floats): the two columns of 16 tiles.</summary>
    private static void Interleave512(float* left, float* right, float* dest)
    {
        var l = Vector512.Load(left);
        var r = Vector512.Load(right);
        var low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var high = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        Avx512F.PermuteVar16x32x2(l, low, r).Store(dest);
        Avx512F.PermuteVar16x32x2(l, high, r).Store(dest + 16);
    }

    private static void OutputTiles512(float* source, long plane, float b, float* y)
    {
        Span<Vector512<float>> s = stackalloc Vector512<float>[8];
        for (var c = 0; c < 4; c++)
        {
            var m0 = Vector512.Load(source + (0 * 4 + c) * plane);
            var m1 = Vector512.Load(source + (1 * 4 + c) * plane);
            var m2 = Vector512.Load(source + (2 * 4 + c) * plane);
            var m3 = Vector512.Load(source + (3 * 4 + c) * plane);
            s[c] = m0 + m1 + m2;
            s[4 + c] = m1 - m2 - m3;
        }

        var bv = Vector512.Create(b);
        (s[0] + s[1] + s[2] + bv).Store(y);
        (s[1] - s[2] - s[3] + bv).Store(y + 16);
        (s[4] + s[5] + s[6] + bv).Store(y + 32);
        (s[5] - s[6] - s[7] + bv).Store(y + 48);
    }

    private static void OutputTilesScalar(float* source, long plane, float b, int width, float* y)
    {
        var s = stackalloc float[8];
        for (var j = 0; j < width; j++)
        {
            var at = source + j;
            for (var c = 0; c < 4; c++)
            {
                s[c] = at[(0 * 4 + c) * plane] + at[(1 * 4 + c) * plane] + at[(2 * 4 + c) * plane];
                s[4 + c] = at[(1 * 4 + c) * plane] - at[(2 * 4 + c) * plane] - at[(3 * 4 + c) * plane];
            }

            y[0 * 16 + j] = s[0] + s[1] + s[2] + b;
            y[1 * 16 + j] = s[1] - s[2] - s[3] + b;
            y[2 * 16 + j] = s[4] + s[5] + s[6] + b;
            y[3 * 16 + j] = s[5] - s[6] - s[7] + b;
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
