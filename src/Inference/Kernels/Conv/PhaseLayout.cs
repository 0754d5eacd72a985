using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvService.Inference.Kernels.Gemm;
using System.Runtime.CompilerServices;
namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// A zero-padded copy of the input split into stride phases: phase (ry, rx) holds padded pixels (i*SH+ry, j*SW+rx).
/// In that layout every kernel tap (ky, kx) of every output row reads a contiguous run starting at
/// <c>y * PhaseWidth + TapOffset(ky, kx)</c>, whatever the stride, padding or dilation, so convolution becomes a
/// GEMM (or a vector loop) over shifted rows with no im2col copy. Columns x &gt;= OutWidth of each row are junk.
/// </summary>
internal sealed unsafe class PhaseLayout
{
    private readonly ConvGeometry geometry;
    private readonly int[] slotOfPhase;
    private readonly int channels;
    private readonly SimdLevel level;

    /// <param name="channels">Channels held side by side in one layout (all input channels, or 1 for per-channel use).</param>
    public PhaseLayout(in ConvGeometry geometry, int channels, SimdLevel level)
    {
        this.level = level;
        this.geometry = geometry;
        this.channels = channels;
        int sh = geometry.StrideH, sw = geometry.StrideW;
        var paddedHeight = geometry.InHeight + geometry.PadTop + geometry.PadBottom;
        var paddedWidth = geometry.InWidth + geometry.PadLeft + geometry.PadRight;
        PhaseHeight = (paddedHeight + sh - 1) / sh;
        PhaseWidth = (paddedWidth + sw - 1) / sw;
        ChannelFloats = PhaseHeight * PhaseWidth;

        // Only phases some tap reads are stored (a 1x1 stride-2 kernel needs one of four).
        slotOfPhase = new int[sh * sw];
        Array.Fill(slotOfPhase, -1);
        for (var ky = 0; ky < geometry.KernelHeight; ky++)
        {
            for (var kx = 0; kx < geometry.KernelWidth; kx++)
            {
                var phase = ky * geometry.DilationH % sh * sw + kx * geometry.DilationW % sw;
                if (slotOfPhase[phase] < 0)
                {
                    slotOfPhase[phase] = Slots++;
                }
            }
        }

        // The last kernel row reaches furthest.
        RowReach = (geometry.KernelHeight - 1) * geometry.DilationH / sh;

        var maxTap = 0;
        for (var ky = 0; ky < geometry.KernelHeight; ky++)
        {
            for (var kx = 0; kx < geometry.KernelWidth; kx++)
            {
                maxTap = Math.Max(maxTap, TapOffset(ky, kx));
            }
        }

        // Junk columns of the last rows read a little past the phases; keep that inside the buffer.
        var lastRead = (long)maxTap + (long)(channels - 1) * ChannelFloats + Columns;
        Floats = Math.Max((long)Slots * channels * ChannelFloats, lastRead);
    }

    public int PhaseHeight { get; }

    /// <summary>Row pitch of every phase, and of the GEMM's column space (Columns = OutHeight * PhaseWidth).</summary>
    public int PhaseWidth { get; }

    public int ChannelFloats { get; }

    /// <summary>Phase rows past an output row that its taps reach: output rows [a, b) read phase rows [a, b + RowReach).</summary>
    public int RowReach { get; }

    public int Slots { get; }

    public int Columns => geometry.OutHeight * PhaseWidth;

    /// <summary>Floats of one filled layout, including the tail that junk columns may read.</summary>
    public long Floats { get; }

    /// <summary>
    /// Stride-2 phase row: row[j] = source[2j + shift], zero where that falls outside the source row, one
    /// two-register permute per 16 outputs. Masked loads leave the padding lanes unread, so the narrow rows of deep
    /// layers (14 and 28 wide) are vectorised too, and nothing outside the row is touched.
    /// </summary>
    private static void FillEvenOdd512(float* source, int shift, int width, float* row, int length)
    {
        var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var limit = Vector512.Create(width);
        for (var j = 0; j < length; j += 16)
        {
            var start = 2 * j + shift;
            var low = Vector512<int>.Indices + Vector512.Create(start);
            var high = low + Vector512.Create(16);
            var lowMask = (Vector512.GreaterThanOrEqual(low, Vector512<int>.Zero) & Vector512.LessThan(low, limit)).AsSingle();
            var highMask = (Vector512.GreaterThanOrEqual(high, Vector512<int>.Zero) & Vector512.LessThan(high, limit)).AsSingle();
            var a = Avx512F.MaskLoad(source + start, lowMask, Vector512<float>.Zero);
            var b = Avx512F.MaskLoad(source + start + 16, highMask, Vector512<float>.Zero);
            var storeMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(length - j)).AsSingle();
            Avx512F.MaskStore(row + j, storeMask, Avx512F.PermuteVar16x32x2(a, evens, b));
        }
    }

    /// <summary>
    /// <see cref="FillEvenOdd512"/> at 256 bits: each 8 outputs from two masked loads, a permute of each and one
    /// lane swap. The stride-2 layouts of Winograd and of the stride-2 layers are filled this way without AVX-512.
    /// </summary>
    private static void FillEvenOdd256(float* source, int shift, int width, float* row, int length)
    {
        var evens = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
        var limit = Vector256.Create(width);
        for (var j = 0; j < length; j += 8)
        {
            var start = 2 * j + shift;
            var low = Vector256<int>.Indices + Vector256.Create(start);
            var high = low + Vector256.Create(8);
            var lowMask = (Vector256.GreaterThanOrEqual(low, Vector256<int>.Zero) & Vector256.LessThan(low, limit)).AsSingle();
            var highMask = (Vector256.GreaterThanOrEqual(high, Vector256<int>.Zero) & Vector256.LessThan(high, limit)).AsSingle();
            var a = Avx2.PermuteVar8x32(Avx.MaskLoad(source + start, lowMask), evens);
            var b = Avx2.PermuteVar8x32(Avx.MaskLoad(source + start + 8, highMask), evens);
            var storeMask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(length - j)).AsSingle();
            Avx.MaskStore(row + j, storeMask, Avx.Permute2x128(a, b, 0x20));
        }
    }

    /// <summary>The vector routine that fills a phase row of stride <paramref name="stride"/> at this layout's level, or null for the scalar loop.</summary>
    private delegate* managed<float*, int, int, float*, int, void> VectorFill(int stride) => (stride, level) switch
    {
        (2, SimdLevel.Vector512) => &FillEvenOdd512,
        (2, SimdLevel.Vector256) when Avx2.IsSupported => &FillEvenOdd256,
        (4, SimdLevel.Vector256) when Avx2.IsSupported => &FillStride4x256,
        _ => null,
    };

    /// <summary>
    /// Stride 4 at Vector512: each source row's stored phase rows (rx = 0..3; all four for Winograd's 4x4 tiles) come
    /// from one set of four masked loads per 16 outputs, so the row is read and masked once however many phases it
    /// feeds. A phase row is every fourth float of the 64 loaded, picked from the first 32 and from the next 32 by
    /// two-register permutes, then the two halves put together.
    /// </summary>
    private void FillStride4x512(float* image, float* layout, int begin, int end, int layoutBase, int rowBegin, int rowEnd)
    {
        var g = geometry;
        var halves = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
        var limit = Vector512.Create(g.InWidth);
        var picks = stackalloc Vector512<int>[4];
        for (var rx = 0; rx < 4; rx++)
        {
            picks[rx] = Vector512.Create(0, 4, 8, 12, 16, 20, 24, 28, 0, 4, 8, 12, 16, 20, 24, 28) + Vector512.Create(rx);
        }

        var dests = stackalloc float*[4];
        for (var ry = 0; ry < g.StrideH; ry++)
        {
            if (slotOfPhase[ry * 4] < 0 && slotOfPhase[(ry * 4) + 1] < 0 && slotOfPhase[(ry * 4) + 2] < 0 && slotOfPhase[(ry * 4) + 3] < 0)
            {
                continue;
            }

            for (var c = begin; c < end; c++)
            {
                var source = image + (long)c * g.InHeight * g.InWidth;
                for (var rx = 0; rx < 4; rx++)
                {
                    var slot = slotOfPhase[(ry * 4) + rx];
                    dests[rx] = slot < 0 ? null : layout + (((long)slot * channels) + c - layoutBase) * ChannelFloats;
                }

                for (var i = rowBegin; i < rowEnd; i++)
                {
                    var at = (long)i * PhaseWidth;
                    var y = i * g.StrideH + ry - g.PadTop;
                    if ((uint)y >= (uint)g.InHeight)
                    {
                        for (var rx = 0; rx < 4; rx++)
                        {
                            if (dests[rx] != null)
                            {
                                new Span<float>(dests[rx] + at, PhaseWidth).Clear();
                            }
                        }

                        continue;
                    }

                    var sourceRow = source + (long)y * g.InWidth;
                    for (var j = 0; j < PhaseWidth; j += 16)
                    {
                        // Phase rx's output k reads base + rx + 4k: the first 8 from (a, b), the next 8 from (c, d).
                        var start = 4 * j - g.PadLeft;
                        var a = MaskedLoad512(sourceRow, start, limit);
                        var b = MaskedLoad512(sourceRow, start + 16, limit);
                        var c2 = MaskedLoad512(sourceRow, start + 32, limit);
                        var d = MaskedLoad512(sourceRow, start + 48, limit);
                        var storeMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(PhaseWidth - j)).AsSingle();
                        for (var rx = 0; rx < 4; rx++)
                        {
                            if (dests[rx] != null)
                            {
                                var low = Avx512F.PermuteVar16x32x2(a, picks[rx], b);
                                var high = Avx512F.PermuteVar16x32x2(c2, picks[rx], d);
                                Avx512F.MaskStore(dests[rx] + at + j, storeMask, Avx512F.PermuteVar16x32x2(low, halves, high));
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>source[start .. start + 16), lanes outside [0, width) zero and unread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> MaskedLoad512(float* source, int start, Vector512<int> limit)
    {
        var at = Vector512<int>.Indices + Vector512.Create(start);
        var mask = (Vector512.GreaterThanOrEqual(at, Vector512<int>.Zero) & Vector512.LessThan(at, limit)).AsSingle();
        return Avx512F.MaskLoad(source + start, mask, Vector512<float>.Zero);
    }

    /// <summary>
    /// Stride-4 phase row at 256 bits: row[j] = source[4j + shift], zero outside the source row. Each 8 outputs from
    /// four masked loads, two shuffles that keep the first float of each group of four, a third that pairs them, and
    /// one permute into order.
    /// </summary>
    private static void FillStride4x256(float* source, int shift, int width, float* row, int length)
    {
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        var limit = Vector256.Create(width);
        for (var j = 0; j < length; j += 8)
        {
            var start = 4 * j + shift;
            var a = MaskedLoad256(source, start, limit);
            var b = MaskedLoad256(source, start + 8, limit);
            var c = MaskedLoad256(source, start + 16, limit);
            var d = MaskedLoad256(source, start + 24, limit);

            // Per 128-bit lane: [a0 a0 b0 b0] and [c0 c0 d0 d0], then [a0 b0 c0 d0]; the upper lanes hold the 4s.
            var ab = Avx.Shuffle(a, b, 0x00);
            var cd = Avx.Shuffle(c, d, 0x00);
            var firsts = Avx.Shuffle(ab, cd, 0x88);
            var storeMask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(length - j)).AsSingle();
            Avx.MaskStore(row + j, storeMask, Avx2.PermuteVar8x32(firsts, order));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MaskedLoad256(float* source, int start, Vector256<int> limit)
    {
        var at = Vector256<int>.Indices + Vector256.Create(start);
        var mask = (Vector256.GreaterThanOrEqual(at, Vector256<int>.Zero) & Vector256.LessThan(at, limit)).AsSingle();
        return Avx.MaskLoad(source + start, mask);
    }

    /// <summary>
    /// Where row k = (ic * KH + ky) * KW + kx of a group's implicit im2col matrix starts, relative to the group's
    /// first channel: the offset table every layout-reading kernel walks.
    /// </summary>
    public int[] RowOffsets(int channelsPerGroup)
    {
        var offsets = new int[channelsPerGroup * geometry.KernelHeight * geometry.KernelWidth];
        for (var ic = 0; ic < channelsPerGroup; ic++)
        {
            for (var ky = 0; ky < geometry.KernelHeight; ky++)
            {
                for (var kx = 0; kx < geometry.KernelWidth; kx++)
                {
                    offsets[(ic * geometry.KernelHeight + ky) * geometry.KernelWidth + kx] = ic * ChannelFloats + TapOffset(ky, kx);
                }
            }
        }

        return offsets;
    }

    /// <summary>Where tap (ky, kx) of channel 0 starts, relative to the layout.</summary>
    public int TapOffset(int ky, int kx)
    {
        int sh = geometry.StrideH, sw = geometry.StrideW;
        int dy = ky * geometry.DilationH, dx = kx * geometry.DilationW;
        var slot = slotOfPhase[dy % sh * sw + dx % sw];
        return slot * channels * ChannelFloats + dy / sh * PhaseWidth + dx / sw;
    }

    /// <summary>
    /// Fills the (image, channel) pairs [first, end) of a batch, pair n * channels + c, image n's layout at
    /// <paramref name="layouts"/> + n * <see cref="Floats"/>: any contiguous run of pairs can be filled on its own.
    /// </summary>
    public void FillPairs(float* images, float* layouts, int first, int end)
    {
        var imageFloats = (long)channels * geometry.InHeight * geometry.InWidth;
        while (first < end)
        {
            int n = first / channels, c = first % channels;
            var stop = Math.Min(end - n * channels, channels);
            Fill(images + n * imageFloats, layouts + n * Floats, c, stop, 0);
            first = n * channels + stop;
        }
    }

    /// <summary>Fills channels [begin, end) of the layout from one NCHW image; channel c lands at slot base + (c - layoutBase) * ChannelFloats.</summary>
    public void Fill(float* image, float* layout, int begin, int end, int layoutBase) =>
        Fill(image, layout, begin, end, layoutBase, 0, PhaseHeight);

    /// <summary>
    /// As <see cref="Fill(float*, float*, int, int, int)"/> but only phase rows [rowBegin, rowEnd) of every stored
    /// phase: a worker that computes a band of output rows lays out just the rows that band reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(float* image, float* layout, int begin, int end, int layoutBase, int rowBegin, int rowEnd)
    {
        var g = geometry;
        int sh = g.StrideH, sw = g.StrideW;
        if (sw == 4 && level == SimdLevel.Vector512)
        {
            FillStride4x512(image, layout, begin, end, layoutBase, rowBegin, rowEnd);
            return;
        }

        var filler = VectorFill(sw);
        for (var phase = 0; phase < slotOfPhase.Length; phase++)
        {
            var slot = slotOfPhase[phase];
            if (slot < 0)
            {
                continue;
            }

            int ry = phase / sw, rx = phase % sw;
            for (var c = begin; c < end; c++)
            {
                var source = image + (long)c * g.InHeight * g.InWidth;
                var dest = layout + ((long)slot * channels + c - layoutBase) * ChannelFloats;
                for (var i = rowBegin; i < rowEnd; i++)
                {
                    var row = new Span<float>(dest + (long)i * PhaseWidth, PhaseWidth);
                    var y = i * sh + ry - g.PadTop;
                    if ((uint)y >= (uint)g.InHeight)
                    {
                        row.Clear();
                        continue;
                    }

                    var sourceRow = source + (long)y * g.InWidth;
                    if (sw == 1)
                    {
                        // Columns j map to input x = j - PadLeft: zeros, a straight copy, zeros.
                        var first = Math.Min(g.PadLeft, PhaseWidth);
                        var count = Math.Max(0, Math.Min(g.InWidth, PhaseWidth - first));
                        row[..first].Clear();
                        new ReadOnlySpan<float>(sourceRow, count).CopyTo(row.Slice(first, count));
                        row[(first + count)..].Clear();
                    }
                    else
                    {
                        if (filler != null)
                        {
                            filler(sourceRow, rx - g.PadLeft, g.InWidth, dest + (long)i * PhaseWidth, PhaseWidth);
                            continue;
                        }

                        for (var j = 0; j < PhaseWidth; j++)
                        {
                            var x = j * sw + rx - g.PadLeft;
                            row[j] = (uint)x < (uint)g.InWidth ? sourceRow[x] : 0f;
                        }
                    }
                }
            }
        }
    }
}
