using static ConvService.Inference.Operators.Pairwise.PairwiseOperators;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// MaxPool and AveragePool over planes (batch x channels of them), ONNX semantics. Each output row first
/// combines its window's input rows into one row (<see cref="PoolColumns"/>), then combines along that row per
/// output column: vectorised for strides 1 and 2 inside the row (<see cref="PoolRowWindows"/>), scalar at the
/// padded borders and for other strides. Input lines are requested ahead of the loop (<see cref="PoolPrefetch"/>).
/// A window covering the whole unpadded plane is a global pool.
/// </summary>
public static class PoolKernel
{
    /// <summary>Rows wider than this use the reference (the row buffer lives on the stack).</summary>
    private const int MaxRowWidth = 4096;

    public static void Max(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes) =>
        Max(g, input, output, planes, SimdCapabilities.Best);

    public static void Max(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, SimdLevel level)
    {
        level = SimdCapabilities.Require(level);
        if (level == SimdLevel.Scalar || g.InWidth > MaxRowWidth)
        {
            PoolReference.Max(g, input, output, planes);
            return;
        }

        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        if (CoversWholePlane(g) && g.DilationH == 1 && g.DilationW == 1)
        {
            for (var p = 0; p < planes; p++)
            {
                output[p] = GlobalPoolKernel.MaxOf(input.Slice(p * inPlane, inPlane), level);
            }

            return;
        }

        Span<float> buffer = stackalloc float[g.InWidth];
        var (first, end) = PoolRowWindows.Interior(g, g.DilationW);
        var prefetched = 0;
        for (var p = 0; p < planes; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            for (var y = 0; y < g.OutHeight; y++)
            {
                var outRow = dst.Slice(y * g.OutWidth, g.OutWidth);
                var top = y * g.StrideH - g.PadTop;
                prefetched = PoolPrefetch.Lines(input, prefetched, p * inPlane + (top + g.KernelHeight * g.DilationH) * g.InWidth + PoolPrefetch.Distance);
                var kyFirst = top >= 0 ? 0 : (g.DilationH - 1 - top) / g.DilationH;
                var kyEnd = top < g.InHeight ? Math.Min(g.KernelHeight, (g.InHeight - 1 - top) / g.DilationH + 1) : 0;
                if (kyEnd <= kyFirst)
                {
                    outRow.Fill(float.NegativeInfinity);
                    continue;
                }

                var rows = kyEnd - kyFirst;
                scoped ReadOnlySpan<float> row = src.Slice((top + kyFirst * g.DilationH) * g.InWidth);
                if (rows > 1)
                {
                    PoolColumns.Reduce<MaxOperator>(row, g.DilationH * g.InWidth, rows, buffer, level);
                    row = buffer;
                }
                else
                {
                    row = row[..g.InWidth];
                }

                var done = PoolRowWindows.Reduce<MaxOperator, NothingToFinish>(row, outRow, g, g.DilationW, first, end, 1f, level);
                MaxAcross(row, outRow, g, 0, first);
                MaxAcross(row, outRow, g, done, g.OutWidth);
            }
        }
    }

    public static void Average(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, bool countIncludePad) =>
        Average(g, input, output, planes, countIncludePad, SimdCapabilities.Best);

    /// <summary>Divisor rules as <see cref="PoolReference.Average"/>; sums are formed column-first, so rounding may differ in the last bit.</summary>
    public static void Average(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, bool countIncludePad, SimdLevel level)
    {
        level = SimdCapabilities.Require(level);
        if (g.DilationH != 1 || g.DilationW != 1)
        {
            PoolReference.DilatedAverage(g, input, output, planes, countIncludePad);
            return;
        }

        if (level == SimdLevel.Scalar || g.InWidth > MaxRowWidth)
        {
            PoolReference.Average(g, input, output, planes, countIncludePad);
            return;
        }

        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        if (CoversWholePlane(g))
        {
            for (var p = 0; p < planes; p++)
            {
                output[p] = GlobalPoolKernel.Sum(input.Slice(p * inPlane, inPlane), level) / inPlane;
            }

            return;
        }

        Span<float> buffer = stackalloc float[g.InWidth];
        var (first, end) = PoolRowWindows.Interior(g, dilation: 1);
        var prefetched = 0;
        for (var p = 0; p < planes; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            for (var y = 0; y < g.OutHeight; y++)
            {
                var outRow = dst.Slice(y * g.OutWidth, g.OutWidth);
                var y0 = y * g.StrideH - g.PadTop;
                prefetched = PoolPrefetch.Lines(input, prefetched, p * inPlane + (y0 + g.KernelHeight) * g.InWidth + PoolPrefetch.Distance);
                var y1 = Math.Min(y0 + g.KernelHeight, g.InHeight + g.PadBottom);
                var ys = Math.Max(y0, 0);
                var rows = Math.Min(y1, g.InHeight) - ys;
                if (rows <= 0)
                {
                    outRow.Clear();
                    continue;
                }

                scoped ReadOnlySpan<float> row = src.Slice(ys * g.InWidth);
                if (rows > 1)
                {
                    PoolColumns.Reduce<AddOperator>(row, g.InWidth, rows, buffer, level);
                    row = buffer;
                }
                else
                {
                    row = row[..g.InWidth];
                }

                // Interior windows span exactly KernelWidth real columns, so only the row count varies.
                var countedRows = countIncludePad ? y1 - y0 : rows;
                var done = PoolRowWindows.Reduce<AddOperator, DivideOperator>(row, outRow, g, 1, first, end, countedRows * g.KernelWidth, level);
                AverageAcross(row, outRow, g, countedRows, countIncludePad, 0, first);
                AverageAcross(row, outRow, g, countedRows, countIncludePad, done, g.OutWidth);
            }
        }
    }

    private static bool CoversWholePlane(in PoolGeometry g) =>
        g is { OutHeight: 1, OutWidth: 1, PadTop: 0, PadLeft: 0, PadBottom: 0, PadRight: 0 }
        && g.KernelHeight == g.InHeight && g.KernelWidth == g.InWidth;

    /// <summary>The scalar horizontal half for output columns [from, to): borders and strides without a vector path.</summary>
    private static void MaxAcross(ReadOnlySpan<float> row, Span<float> outRow, in PoolGeometry g, int from, int to)
    {
        for (var x = from; x < to; x++)
        {
            var best = float.NegativeInfinity;
            for (var kx = 0; kx < g.KernelWidth; kx++)
            {
                var ix = x * g.StrideW - g.PadLeft + kx * g.DilationW;
                if ((uint)ix < (uint)row.Length)
                {
                    best = MathF.Max(best, row[ix]);
                }
            }

            outRow[x] = best;
        }
    }

    private static void AverageAcross(ReadOnlySpan<float> row, Span<float> outRow, in PoolGeometry g, int countedRows, bool countIncludePad, int from, int to)
    {
        for (var x = from; x < to; x++)
        {
            var x0 = x * g.StrideW - g.PadLeft;
            var x1 = Math.Min(x0 + g.KernelWidth, g.InWidth + g.PadRight);
            var xs = Math.Max(x0, 0);
            var xe = Math.Min(x1, g.InWidth);
            var sum = 0f;
            for (var ix = xs; ix < xe; ix++)
            {
                sum += row[ix];
            }

            var count = countedRows * (countIncludePad ? x1 - x0 : xe - xs);
            outRow[x] = count > 0 ? sum / count : 0f;
        }
    }
}
