using System.Buffers;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Filters;

/// <summary>
/// One filter prepared for one image size: border index maps, prepared kernels and scratch sizes. Runs the
/// output in bands of rows, so the inner loops never test for borders: separable kernels pad one row at a
/// time (vertical pass, pad, horizontal pass), direct kernels get a padded copy of the band's source rows.
/// Large outputs spread their bands over cores.
/// </summary>
internal sealed class FilterPlan
{
    private const int ParallelPixelThreshold = 256 * 1024;
    private const int BandTargetFloats = 128 * 1024;
    private const int MaxStackRows = 128;
    private static readonly int[] SingleRow = [0];

    private readonly int width;
    private readonly int height;
    private readonly int outWidth;
    private readonly int outHeight;
    private readonly int stride;
    private readonly int padTop;
    private readonly int padLeft;
    private readonly int paddedWidth;
    private readonly int[] columnMap;
    private readonly int[] rowMap;
    private readonly KernelPass first;
    private readonly KernelPass? second;
    private readonly int bandRows;
    private readonly int scratchFloats;
    private readonly SimdLevel simd;

    public FilterPlan(int width, int height, OutputGeometry g, FilterKernel kernel, FilterSettings s, SimdLevel simd)
    {
        this.width = width;
        this.height = height;
        this.simd = SimdCapabilities.Require(simd);
        outWidth = g.OutWidth;
        outHeight = g.OutHeight;
        stride = g.Stride;
        padTop = g.PadTop;
        padLeft = g.PadLeft;
        (first, second) = kernel switch
        {
            FilterKernel.Linear l => (new KernelPass(l.Kernel, s.Op), (KernelPass?)null),
            FilterKernel.GradientMagnitude m => (new KernelPass(m.Gx, s.Op), new KernelPass(m.Gy, s.Op)),
            _ => throw new ArgumentException($"Unsupported filter kernel {kernel.GetType().Name}.", nameof(kernel)),
        };

        paddedWidth = (outWidth - 1) * stride + kernel.Cols;
        columnMap = new int[paddedWidth];
        BorderIndex.FillMap(columnMap, padLeft, width, s.Border);
        rowMap = new int[(outHeight - 1) * stride + kernel.Rows];
        BorderIndex.FillMap(rowMap, padTop, height, s.Border);

        // A band's padded window (about bandRows * stride rows) should stay within L2, whatever the stride.
        bandRows = (int)Math.Clamp(BandTargetFloats / ((long)paddedWidth * stride), 1, Math.Min(64, outHeight));
        var windowRows = (bandRows - 1) * stride + kernel.Rows;
        var separableScratch = width + paddedWidth;
        var directScratch = windowRows * paddedWidth;
        scratchFloats = Math.Max(separableScratch, directScratch) + (second is null ? 0 : bandRows * outWidth);
        DegreeOfParallelism = s.DegreeOfParallelism == 0 ? Environment.ProcessorCount : s.DegreeOfParallelism;
    }

    public int DegreeOfParallelism { get; }

    /// <summary>Filters band by band; <paramref name="cancellationToken"/> is checked before each band of at most 64 rows.</summary>
    public void Execute(FloatImage image, FloatImage output, CancellationToken cancellationToken = default)
    {
        var bands = (outHeight + bandRows - 1) / bandRows;
        var items = bands * image.Channels;
        if (DegreeOfParallelism > 1 && (long)outWidth * outHeight > ParallelPixelThreshold && items > 1)
        {
            KernelWorkers.Run(new BandWork(this, image, output, bands, items, DegreeOfParallelism, cancellationToken), DegreeOfParallelism);
            return;
        }

        var buffer = ArrayPool<float>.Shared.Rent(scratchFloats);
        try
        {
            for (var item = 0; item < items; item++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunBand(image, output, item / bands, item % bands, buffer);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private void RunBand(FloatImage image, FloatImage output, int channel, int band, float[] scratch)
    {
        ReadOnlySpan<float> source = image.Plane(channel);
        var y0 = band * bandRows;
        var rows = Math.Min(bandRows, outHeight - y0);
        var target = output.Plane(channel).Slice(y0 * outWidth, rows * outWidth);
        var work = scratch.AsSpan();
        if (second is null)
        {
            RunPass(first, source, y0, rows, target, work);
            return;
        }

        if (first.Separable && second.Separable)
        {
            // Row by row, so both gradients and their magnitude stay in L1.
            var gyRow = work[..outWidth];
            for (var r = 0; r < rows; r++)
            {
                var gxRow = target.Slice(r * outWidth, outWidth);
                RunSeparable(first, source, y0 + r, 1, gxRow, work[outWidth..]);
                RunSeparable(second, source, y0 + r, 1, gyRow, work[outWidth..]);
                GradientCombiner.Run(gxRow, gyRow, simd);
            }

            return;
        }

        var gy = work.Slice(0, rows * outWidth);
        RunPass(first, source, y0, rows, target, work[gy.Length..]);
        RunPass(second, source, y0, rows, gy, work[gy.Length..]);
        GradientCombiner.Run(target, gy, simd);
    }

    private void RunPass(KernelPass pass, ReadOnlySpan<float> source, int y0, int rows, Span<float> target, Span<float> work)
    {
        if (pass.Separable)
        {
            RunSeparable(pass, source, y0, rows, target, work);
        }
        else
        {
            RunDirect(pass, source, y0, rows, target, work);
        }
    }

    /// <summary>
    /// Vertical pass first, straight from the source rows (border rows are just other rows), into one row that
    /// stays in L1; then that row is padded and the horizontal pass writes the output row.
    /// </summary>
    private void RunSeparable(KernelPass pass, ReadOnlySpan<float> source, int y0, int rows, Span<float> target, Span<float> work)
    {
        var vertical = work[..width];
        var padded = work.Slice(width, paddedWidth);
        Span<int> offsets = pass.Rows <= MaxStackRows ? stackalloc int[pass.Rows] : new int[pass.Rows];
        Span<float> weights = pass.Rows <= MaxStackRows ? stackalloc float[pass.Rows] : new float[pass.Rows];
        var column = pass.ColumnFactor!;
        for (var r = 0; r < rows; r++)
        {
            var first = (y0 + r) * stride;
            var count = 0;
            for (var i = 0; i < pass.Rows; i++)
            {
                // Zero-border rows and zero weights add nothing, so they are left out rather than read.
                var sourceRow = rowMap[first + i];
                if (sourceRow >= 0 && column[i] != 0f)
                {
                    offsets[count] = sourceRow * width;
                    weights[count] = column[i];
                    count++;
                }
            }

            if (count == 0)
            {
                vertical.Clear();
            }
            else
            {
                RowCorrelator.Run(source, offsets[..count], 1, weights[..count], vertical, 1, simd);
            }

            var input = PaddedRow(vertical, padded);
            RowCorrelator.Run(input, SingleRow, pass.Cols, pass.RowFactor!, target.Slice(r * outWidth, outWidth), stride, simd);
        }
    }

    /// <summary>The full 2-D kernel per output row, from a padded copy of the band's source rows.</summary>
    private void RunDirect(KernelPass pass, ReadOnlySpan<float> source, int y0, int rows, Span<float> target, Span<float> work)
    {
        var windowStart = y0 * stride;
        var windowRows = (rows - 1) * stride + pass.Rows;
        ReadOnlySpan<float> window;
        int windowStride;
        if (RowsInside(windowStart, windowRows) && ColumnsInside())
        {
            // Nothing to pad: read the source plane in place.
            window = source[((windowStart - padTop) * width)..];
            windowStride = width;
        }
        else
        {
            var copy = work[..(windowRows * paddedWidth)];
            for (var k = 0; k < windowRows; k++)
            {
                var line = copy.Slice(k * paddedWidth, paddedWidth);
                var sourceRow = rowMap[windowStart + k];
                if (sourceRow < 0)
                {
                    line.Clear();
                }
                else
                {
                    FillPaddedRow(source.Slice(sourceRow * width, width), line);
                }
            }

            window = copy;
            windowStride = paddedWidth;
        }

        Span<int> offsets = pass.Rows < MaxStackRows ? stackalloc int[pass.Rows + 1] : new int[pass.Rows + 1];
        var r = 0;
        if (stride == 1 && simd != SimdLevel.Scalar)
        {
            for (; r + 1 < rows; r += 2)
            {
                for (var i = 0; i <= pass.Rows; i++)
                {
                    offsets[i] = (r + i) * windowStride;
                }

                RowPairCorrelator.Run(window, offsets, pass.Cols, pass.Weights, target.Slice(r * outWidth, outWidth), target.Slice((r + 1) * outWidth, outWidth), simd);
            }
        }

        for (; r < rows; r++)
        {
            for (var i = 0; i < pass.Rows; i++)
            {
                offsets[i] = (r * stride + i) * windowStride;
            }

            RowCorrelator.Run(window, offsets[..pass.Rows], pass.Cols, pass.Weights, target.Slice(r * outWidth, outWidth), stride, simd);
        }
    }

    private bool RowsInside(int windowStart, int windowRows) => windowStart >= padTop && windowStart + windowRows <= padTop + height;

    private bool ColumnsInside() => padLeft == 0 && paddedWidth <= width;

    private ReadOnlySpan<float> PaddedRow(ReadOnlySpan<float> sourceRow, Span<float> buffer)
    {
        if (ColumnsInside())
        {
            return sourceRow;
        }

        FillPaddedRow(sourceRow, buffer);
        return buffer;
    }

    private void FillPaddedRow(ReadOnlySpan<float> sourceRow, Span<float> line)
    {
        // The middle is a straight copy; only the borders go through the index map.
        var start = Math.Min(padLeft, paddedWidth);
        var end = Math.Min(padLeft + width, paddedWidth);
        sourceRow[..(end - start)].CopyTo(line[start..end]);
        for (var k = 0; k < start; k++)
        {
            var m = columnMap[k];
            line[k] = m < 0 ? 0f : sourceRow[m];
        }

        for (var k = end; k < paddedWidth; k++)
        {
            var m = columnMap[k];
            line[k] = m < 0 ? 0f : sourceRow[m];
        }
    }

    /// <summary>The bands of every channel dealt out to the engine's workers: share w takes items w, w + n, w + 2n...</summary>
    private sealed class BandWork(FilterPlan plan, FloatImage image, FloatImage output, int bands, int items, int shares, CancellationToken cancellationToken) : IParallelWork
    {
        public void Run(int worker)
        {
            var scratch = ArrayPool<float>.Shared.Rent(plan.scratchFloats);
            try
            {
                for (var item = worker; item < items; item += shares)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    plan.RunBand(image, output, item / bands, item % bands, scratch);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }
    }
}
