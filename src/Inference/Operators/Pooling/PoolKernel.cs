using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// MaxPool and AveragePool over planes (batch x channels of them), ONNX semantics. Each output row first
/// reduces its window's input rows into one row with contiguous vector operations, then reduces along that row
/// per output column, so the strided part does k_w instead of k_h x k_w operations per output.
/// </summary>
public static class PoolKernel
{
    /// <summary>Rows wider than this use the reference (the row buffer lives on the stack).</summary>
    private const int MaxRowWidth = 4096;

    public static void Max(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes) =>
        Max(g, input, output, planes, SimdSupport.Best);

    public static void Max(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, SimdLevel level)
    {
        level = SimdSupport.Clamp(level);
        if (level == SimdLevel.Scalar || g.InWidth > MaxRowWidth)
        {
            PoolReference.Max(g, input, output, planes);
            return;
        }

        Span<float> row = stackalloc float[g.InWidth];
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        for (var p = 0; p < planes; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            for (var y = 0; y < g.OutHeight; y++)
            {
                var rows = 0;
                for (var ky = 0; ky < g.KernelHeight; ky++)
                {
                    var iy = y * g.StrideH - g.PadTop + ky * g.DilationH;
                    if ((uint)iy >= (uint)g.InHeight)
                    {
                        continue;
                    }

                    var line = src.Slice(iy * g.InWidth, g.InWidth);
                    if (rows++ == 0)
                    {
                        line.CopyTo(row);
                    }
                    else
                    {
                        MaxInto(row, line, level);
                    }
                }

                for (var x = 0; x < g.OutWidth; x++)
                {
                    var best = float.NegativeInfinity;
                    if (rows > 0)
                    {
                        for (var kx = 0; kx < g.KernelWidth; kx++)
                        {
                            var ix = x * g.StrideW - g.PadLeft + kx * g.DilationW;
                            if ((uint)ix < (uint)g.InWidth)
                            {
                                best = MathF.Max(best, row[ix]);
                            }
                        }
                    }

                    dst[y * g.OutWidth + x] = best;
                }
            }
        }
    }

    public static void Average(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, bool countIncludePad) =>
        Average(g, input, output, planes, countIncludePad, SimdSupport.Best);

    /// <summary>Divisor rules as <see cref="PoolReference.Average"/>; sums are formed column-first, so rounding may differ in the last bit.</summary>
    public static void Average(in PoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, bool countIncludePad, SimdLevel level)
    {
        level = SimdSupport.Clamp(level);
        if (level == SimdLevel.Scalar || g.InWidth > MaxRowWidth)
        {
            PoolReference.Average(g, input, output, planes, countIncludePad);
            return;
        }

        Span<float> row = stackalloc float[g.InWidth];
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        for (var p = 0; p < planes; p++)
        {
            var src = input.Slice(p * inPlane, inPlane);
            var dst = output.Slice(p * outPlane, outPlane);
            for (var y = 0; y < g.OutHeight; y++)
            {
                var y0 = y * g.StrideH - g.PadTop;
                var y1 = Math.Min(y0 + g.KernelHeight, g.InHeight + g.PadBottom);
                var ys = Math.Max(y0, 0);
                var ye = Math.Min(y1, g.InHeight);
                row.Clear();
                for (var iy = ys; iy < ye; iy++)
                {
                    AddInto(row, src.Slice(iy * g.InWidth, g.InWidth), level);
                }

                for (var x = 0; x < g.OutWidth; x++)
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

                    var count = countIncludePad ? (y1 - y0) * (x1 - x0) : (ye - ys) * (xe - xs);
                    dst[y * g.OutWidth + x] = count > 0 ? sum / count : 0f;
                }
            }
        }
    }

    private static void MaxInto(Span<float> accumulator, ReadOnlySpan<float> values, SimdLevel level)
    {
        ref var a = ref MemoryMarshal.GetReference(accumulator);
        ref var v = ref MemoryMarshal.GetReference(values);
        var i = 0;
        if (level == SimdLevel.Vector512)
        {
            for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512.Max(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref v, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
            }
        }
        else
        {
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.Max(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref v, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            accumulator[i] = MathF.Max(accumulator[i], values[i]);
        }
    }

    private static void AddInto(Span<float> accumulator, ReadOnlySpan<float> values, SimdLevel level)
    {
        ref var a = ref MemoryMarshal.GetReference(accumulator);
        ref var v = ref MemoryMarshal.GetReference(values);
        var i = 0;
        if (level == SimdLevel.Vector512)
        {
            for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref a, (nuint)i) + Vector512.LoadUnsafe(ref v, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
            }
        }
        else
        {
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref a, (nuint)i) + Vector256.LoadUnsafe(ref v, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            accumulator[i] += values[i];
        }
    }
}
