using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Kernels.Gemm;

/// <summary>
/// The blocked loops around the micro-kernels for one rectangle of C: K in blocks so a packed A panel stays in L1,
/// each A panel swept across the B columns. Partial tiles (last rows, last columns) go through a small tile so no
/// kernel ever reads or writes outside the caller's memory.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>bColumnStride value meaning B is already packed in column panels (constant weights).</summary>
    public const int PrepackedB = 0;

    /// <summary>
    /// C[mBegin..mEnd, qBegin..qEnd] = (accumulate ? C : bias or 0) + A * B, where A is packed by
    /// <see cref="GemmPacking.PackA"/> (all m rows, k columns) and B row p, column q is b[bOffsets[p] + q * bColumnStride] for
    /// q &lt; n. mBegin must be a multiple of the level's tile rows. bias (may be null) holds a value per row of
    /// the padded A. With bColumnStride == <see cref="PrepackedB"/>, b holds panels made by
    /// <see cref="GemmPacking.PackB"/> and bOffsets is unused. work must hold <see cref="GemmTile.WorkFloats"/> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(
        SimdLevel level,
        int m,
        int n,
        int k,
        float* packedA,
        float* bias,
        float* b,
        int* bOffsets,
        int bColumnStride,
        float* c,
        int ldc,
        int mBegin,
        int mEnd,
        int qBegin,
        int qEnd,
        bool accumulate,
        float* work)
    {
        delegate*<int, float*, float*, int*, float*, int, float*, bool, void> kernel = level switch
        {
            SimdLevel.Vector512 => &GemmMicroKernels.Kernel512,
            SimdLevel.Vector256 => &GemmMicroKernels.Kernel256,
            SimdLevel.Vector128 => &GemmMicroKernels.Kernel128,
            _ => &GemmScalarKernel.Kernel,
        };
        int mr = GemmTile.Rows(level), nr = GemmTile.Columns(level);
        qEnd = Math.Min(qEnd, n);
        mEnd = Math.Min(mEnd, m);
        if (qBegin >= qEnd || mBegin >= mEnd || k <= 0)
        {
            return;
        }

        // Every B panel is packed (kc x NR, 64-byte aligned) before use: the shifted rows of a convolution start
        // anywhere in a cache line, and split loads cost the kernel about a third of its speed.
        var panel = (float*)(((nint)work + 63) & ~(nint)63);
        var tile = panel + GemmTile.KBlock * GemmTile.MaxColumns;
        var packedOffsets = stackalloc int[GemmTile.KBlock];
        for (var p = 0; p < GemmTile.KBlock; p++)
        {
            packedOffsets[p] = p * nr;
        }

        // Column panel outermost: its C tiles stay cached across all K blocks. Per K block the packed B panel
        // sits in L1 while the packed A panels stream through in order.
        var kBlock = GemmTile.BalancedKBlock(k);
        for (var q = qBegin; q < qEnd; q += nr)
        {
            var columns = Math.Min(nr, qEnd - q);
            for (var k0 = 0; k0 < k; k0 += kBlock)
            {
                var kc = Math.Min(kBlock, k - k0);
                var add = accumulate || k0 > 0;
                var bPanel = panel;
                if (bColumnStride == PrepackedB)
                {
                    bPanel = b + (long)q * k + (long)k0 * nr;
                }
                else
                {
                    PackPanel(level, b + (long)q * bColumnStride, bOffsets + k0, bColumnStride, kc, columns, nr, panel);
                }

                // On the first column panel A comes from beyond L2 when it is large (Winograd's transformed weights,
                // read once per block): the next A panel is prefetched while this one is multiplied, so its trip from
                // memory overlaps the arithmetic; the later column panels find A in L2.
                var prefetchLines = q == qBegin ? kc * mr * sizeof(float) / 64 : 0;
                for (var i = mBegin; i < mEnd; i += mr)
                {
                    var rows = Math.Min(mr, m - i);
                    var aPanel = packedA + (long)i * k + (long)k0 * mr;
                    if (i + mr < mEnd)
                    {
                        CachePrefetch.Lines(aPanel + (long)mr * k, prefetchLines);
                    }

                    var rowBias = bias == null ? null : bias + i;
                    var cTile = c + (long)i * ldc + q;
                    if (rows == mr && columns == nr)
                    {
                        kernel(kc, aPanel, bPanel, packedOffsets, cTile, ldc, rowBias, add);
                    }
                    else
                    {
                        EdgeTile(kernel, kc, aPanel, bPanel, packedOffsets, cTile, ldc, rowBias, add, rows, columns, nr, tile);
                    }
                }
            }
        }
    }

    /// <summary>Copies kc rows of <paramref name="columns"/> B values into an aligned kc x nr panel, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanel(SimdLevel level, float* b, int* bOffsets, int columnStride, int kc, int columns, int nr, float* dest)
    {
        if (columnStride != 1)
        {
            // Transposed B: each column is contiguous in the source, so read down it and write across the panel.
            for (var j = 0; j < nr; j++)
            {
                var column = b + (long)j * columnStride;
                for (var p = 0; p < kc; p++)
                {
                    dest[p * nr + j] = j < columns ? column[bOffsets[p]] : 0f;
                }
            }

            return;
        }

        if (columns == nr && level == SimdLevel.Vector512)
        {
            for (var p = 0; p < kc; p++)
            {
                var src = b + bOffsets[p];
                Vector512.Load(src).StoreAligned(dest);
                Vector512.Load(src + 16).StoreAligned(dest + 16);
                dest += 32;
            }

            return;
        }

        if (columns == nr && level == SimdLevel.Vector256)
        {
            for (var p = 0; p < kc; p++)
            {
                var src = b + bOffsets[p];
                Vector256.Load(src).StoreAligned(dest);
                Vector256.Load(src + 8).StoreAligned(dest + 8);
                dest += 16;
            }

            return;
        }

        if (columns == nr && level == SimdLevel.Vector128)
        {
            for (var p = 0; p < kc; p++)
            {
                var src = b + bOffsets[p];
                Vector128.Load(src).StoreAligned(dest);
                Vector128.Load(src + 4).StoreAligned(dest + 4);
                dest += 8;
            }

            return;
        }

        for (var p = 0; p < kc; p++)
        {
            var src = b + bOffsets[p];
            var row = dest + p * nr;
            for (var j = 0; j < columns; j++)
            {
                row[j] = src[j];
            }

            for (var j = columns; j < nr; j++)
            {
                row[j] = 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EdgeTile(
        delegate*<int, float*, float*, int*, float*, int, float*, bool, void> kernel,
        int kc,
        float* a,
        float* b,
        int* bOffsets,
        float* c,
        int ldc,
        float* bias,
        bool accumulate,
        int rows,
        int columns,
        int nr,
        float* tile)
    {
        if (accumulate)
        {
            for (var i = 0; i < rows; i++)
            {
                new ReadOnlySpan<float>(c + (long)i * ldc, columns).CopyTo(new Span<float>(tile + i * nr, columns));
            }
        }

        kernel(kc, a, b, bOffsets, tile, nr, bias, accumulate);
        for (var i = 0; i < rows; i++)
        {
            new ReadOnlySpan<float>(tile + i * nr, columns).CopyTo(new Span<float>(c + (long)i * ldc, columns));
        }
    }
}
