namespace ConvService.Inference.Operators.Pooling;

/// <summary>MaxPool and AveragePool by the book, window by window: the oracle for <see cref="PoolKernel"/>.</summary>
public static class PoolReference
{
    private const int InPadding = -1;
    private const int PastPadding = -2;

    public static void Max(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes)
    {
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        for (var p = 0; p < planes; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            for (var y = 0; y < g.OutHeight; y++)
            {
                for (var x = 0; x < g.OutWidth; x++)
                {
                    var best = float.NegativeInfinity;
                    for (var ky = 0; ky < g.KernelHeight; ky++)
                    {
                        var iy = y * g.StrideH - g.PadTop + ky * g.DilationH;
                        if ((uint)iy >= (uint)g.InHeight)
                        {
                            continue;
                        }

                        var rowStart = iy * g.InWidth;
                        for (var kx = 0; kx < g.KernelWidth; kx++)
                        {
                            var ix = x * g.StrideW - g.PadLeft + kx * g.DilationW;
                            if ((uint)ix < (uint)g.InWidth)
                            {
                                best = MathF.Max(best, src[rowStart + ix]);
                            }
                        }
                    }

                    dst[y * g.OutWidth + x] = best;
                }
            }
        }
    }

    /// <summary>
    /// With <paramref name="countIncludePad"/> the divisor counts padding cells but never cells past the padded
    /// border (which ceil_mode can reach), as ONNX Runtime does.
    /// </summary>
    public static void Average(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, bool countIncludePad)
    {
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        for (var p = 0; p < planes; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            for (var y = 0; y < g.OutHeight; y++)
            {
                var y0 = y * g.StrideH - g.PadTop;
                var y1 = Math.Min(y0 + g.KernelHeight, g.InHeight + g.PadBottom);
                var paddedRows = y1 - y0;
                var ys = Math.Max(y0, 0);
                var ye = Math.Min(y1, g.InHeight);
                for (var x = 0; x < g.OutWidth; x++)
                {
                    var x0 = x * g.StrideW - g.PadLeft;
                    var x1 = Math.Min(x0 + g.KernelWidth, g.InWidth + g.PadRight);
                    var paddedCols = x1 - x0;
                    var xs = Math.Max(x0, 0);
                    var xe = Math.Min(x1, g.InWidth);
                    var sum = 0f;
                    for (var iy = ys; iy < ye; iy++)
                    {
                        for (var ix = xs; ix < xe; ix++)
                        {
                            sum += src[iy * g.InWidth + ix];
                        }
                    }

                    var count = countIncludePad ? paddedRows * paddedCols : (ye - ys) * (xe - xs);
                    dst[y * g.OutWidth + x] = count > 0 ? sum / count : 0f;
                }
            }
        }
    }

    /// <summary>
    /// AveragePool with dilations (opset 19): the window's taps are <c>Dilation</c> apart; the divisor counts the taps
    /// inside the input, or with <paramref name="countIncludePad"/> those inside the padded border.
    /// </summary>
    public static void DilatedAverage(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, bool countIncludePad)
    {
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        for (var p = 0; p < planes; p++)
        {
            for (var y = 0; y < g.OutHeight; y++)
            {
                for (var x = 0; x < g.OutWidth; x++)
                {
                    var sum = 0f;
                    var count = 0;
                    for (var ky = 0; ky < g.KernelHeight; ky++)
                    {
                        for (var kx = 0; kx < g.KernelWidth; kx++)
                        {
                            var offset = Locate(g, y, x, ky, kx);
                            if (offset >= 0)
                            {
                                sum += input[p * inPlane + offset];
                                count++;
                            }
                            else if (countIncludePad && offset == InPadding)
                            {
                                count++;
                            }
                        }
                    }

                    output[p * outPlane + y * g.OutWidth + x] = count > 0 ? sum / count : 0f;
                }
            }
        }
    }

    /// <summary>LpPool: the p-norm of each window's values; padding contributes nothing.</summary>
    public static void Lp(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, float p)
    {
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        for (var plane = 0; plane < planes; plane++)
        {
            for (var y = 0; y < g.OutHeight; y++)
            {
                for (var x = 0; x < g.OutWidth; x++)
                {
                    var sum = 0f;
                    for (var ky = 0; ky < g.KernelHeight; ky++)
                    {
                        for (var kx = 0; kx < g.KernelWidth; kx++)
                        {
                            var offset = Locate(g, y, x, ky, kx);
                            if (offset >= 0)
                            {
                                sum += Power(input[plane * inPlane + offset], p);
                            }
                        }
                    }

                    output[plane * outPlane + y * g.OutWidth + x] = Root(sum, p);
                }
            }
        }
    }

    /// <summary>
    /// Where tap (ky, kx) of output (y, x) falls: its offset in the input plane, <see cref="InPadding"/> in the
    /// declared padding, <see cref="PastPadding"/> beyond it (a ceil-mode window's overhang).
    /// </summary>
    private static int Locate(in PoolGeometry g, int y, int x, int ky, int kx)
    {
        var iy = y * g.StrideH - g.PadTop + ky * g.DilationH;
        var ix = x * g.StrideW - g.PadLeft + kx * g.DilationW;
        if ((uint)iy < (uint)g.InHeight && (uint)ix < (uint)g.InWidth)
        {
            return iy * g.InWidth + ix;
        }

        return iy >= -g.PadTop && iy < g.InHeight + g.PadBottom && ix >= -g.PadLeft && ix < g.InWidth + g.PadRight ? InPadding : PastPadding;
    }

    internal static float Power(float value, float p) => p switch
    {
        1f => MathF.Abs(value),
        2f => value * value,
        _ => MathF.Pow(MathF.Abs(value), p),
    };

    internal static float Root(float sum, float p) => p switch
    {
        1f => sum,
        2f => MathF.Sqrt(sum),
        _ => MathF.Pow(sum, 1f / p),
    };
}
