using System.Buffers;

namespace ConvService.Inference.Filters;

/// <summary>
/// One filter prepared for one image size: border index maps, prepared kernels and scratch sizes. Runs the
/// output in bands of rows; each band gets a padded copy of the source rows it needs, so the inner loops
/// never test for borders. Large outputs spread their bands over cores.
/// </summary>
internal sealed class FilterPlan
{
    private const int ParallelPixelThreshold = 256 * 1024;
    private const int BandTargetFloats = 128 * 1024;

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
        this.simd = simd;
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

        bandRows = Math.Clamp(BandTargetFloats / Math.Max(paddedWidth, 1), 8, 64);
        var windowRows = (bandRows - 1) * stride + kernel.Rows;
        var separableScratch = paddedWidth + windowRows * outWidth;
        var directScratch = windowRows * paddedWidth;
        scratchFloats = Math.Max(separableScratch, directScratch) + (second is null ? 0 : bandRows * outWidth);
        DegreeOfParallelism = s.DegreeOfParallelism == 0 ? Environment.ProcessorCount : s.DegreeOfParallelism;
    }

    public int DegreeOfParallelism { get; }

    public void Execute(FloatImage image, FloatImage output)
    {
        var bands = (outHeight + bandRows - 1) / bandRows;
        var items = bands * image.Channels;
        if (DegreeOfParallelism > 1 && (long)outWidth * outHeight > ParallelPixelThreshold && items > 1)
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = DegreeOfParallelism };
            Parallel.For(
                0,
                items,
                options,
                () => ArrayPool<float>.Shared.Rent(scratchFloats),
                (item, _, scratch) =>
                {
                    RunBand(image, output, item / bands, item % bands, scratch);
                    return scratch;
                },
                scratch => ArrayPool<float>.Shared.Return(scratch));
            return;
        }

        var buffer = ArrayPool<float>.Shared.Rent(scratchFloats);
        try
        {
            for (var item = 0; item < items; item++)
            {
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

        var gy = work.Slice(0, rows * outWidth);
        RunPass(first, source, y0, rows, target, work[gy.Length..]);
        RunPass(second, source, y0, rows, gy, work[gy.Length..]);
        GradientCombiner.Run(target, gy, simd);
    }

    private void RunPass(KernelPass pass, ReadOnlySpan<float> source, int y0, int rows, Span<float> target, Span<float> work)
    {
        var windowStart = y0 * stride;
        var windowRows = (rows - 1) * stride + pass.Rows;
        if (pass.Separable)
        {
            // Horizontal 1-D pass per source row into a row buffer, then the vertical pass down those rows.
            var padded = work[..paddedWidth];
            var horizontal = work.Slice(paddedWidth, windowRows * outWidth);
            for (var k = 0; k < windowRows; k++)
            {
                var line = horizontal.Slice(k * outWidth, outWidth);
                var sourceRow = rowMap[windowStart + k];
                if (sourceRow < 0)
                {
                    line.Clear();
                    continue;
                }

                var input = PaddedRow(source.Slice(sourceRow * width, width), padded);
                RowCorrelator.Run(input, 0, 1, pass.Cols, pass.RowFactor!, line, stride, simd);
            }

            for (var r = 0; r < rows; r++)
            {
                RowCorrelator.Run(horizontal[(r * stride * outWidth)..], outWidth, pass.Rows, 1, pass.ColumnFactor!, target.Slice(r * outWidth, outWidth), 1, simd);
            }

            return;
        }

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

        for (var r = 0; r < rows; r++)
        {
            RowCorrelator.Run(window[(r * stride * windowStride)..], windowStride, pass.Rows, pass.Cols, pass.Weights, target.Slice(r * outWidth, outWidth), stride, simd);
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
}
