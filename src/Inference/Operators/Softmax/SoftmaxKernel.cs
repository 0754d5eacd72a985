using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Softmax;

/// <summary>
/// Softmax over the middle axis of an [outer, axis, inner] view; opset &lt; 13 semantics are the special case
/// inner == 1 with the axis covering every trailing dimension. Max-subtracted for stability, in place allowed.
/// The vector paths run the vector exp: along contiguous rows (inner == 1), and across whole vectors of
/// neighbouring columns otherwise; columns left over from the last vector run the kernel's own scalar loop.
/// </summary>
public static class SoftmaxKernel
{
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner) =>
        Run(input, output, outer, axis, inner, SimdCapabilities.Best);

    public static void Run(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner, SimdLevel level)
    {
        var length = (long)outer * axis * inner;
        if (input.Length < length || output.Length < length)
        {
            throw new ArgumentException($"Softmax over [{outer}, {axis}, {inner}] needs {length} floats in and out.");
        }

        switch (SimdCapabilities.Require(level))
        {
            case SimdLevel.Vector512:
                Path<Vector512<float>, Width512>(input, output, outer, axis, inner);
                break;
            case SimdLevel.Vector256:
                Path<Vector256<float>, Width256>(input, output, outer, axis, inner);
                break;
            case SimdLevel.Vector128:
                Path<Vector128<float>, Width128>(input, output, outer, axis, inner);
                break;
            default:
                for (var o = 0; o < outer; o++)
                {
                    Columns(input, output, o * axis * inner, 0, inner, axis, inner);
                }

                break;
        }
    }

    /// <summary>The scalar definition.</summary>
    public static void Reference(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner)
    {
        for (var o = 0; o < outer; o++)
        {
            Columns(input, output, o * axis * inner, 0, inner, axis, inner);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Path<TVector, TWidth>(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var count = TWidth.Count;
        for (var o = 0; o < outer; o++)
        {
            var start = o * axis * inner;
            if (inner == 1)
            {
                if (axis < count)
                {
                    Columns(input, output, start, 0, 1, axis, 1);
                }
                else
                {
                    Row<TVector, TWidth>(input.Slice(start, axis), output.Slice(start, axis));
                }

                continue;
            }

            var column = 0;
            for (; column + count <= inner; column += count)
            {
                ColumnBlock<TVector, TWidth>(input, output, start + column, axis, inner);
            }

            Columns(input, output, start, column, inner, axis, inner);
        }
    }

    /// <summary>
    /// One contiguous row of at least one vector. Each pass loads its overlapping last vector before the loop writes,
    /// so in-place rows stay right; the sum takes that vector's new lanes only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<TVector, TWidth>(ReadOnlySpan<float> row, Span<float> result)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var count = TWidth.Count;
        var length = row.Length;
        ref var src = ref MemoryMarshal.GetReference(row);
        ref var dst = ref MemoryMarshal.GetReference(result);
        var lastOffset = (nuint)(length - count);

        var maxima = TWidth.Load(ref src, lastOffset);
        nuint i = 0;
        for (; i + (nuint)count <= (nuint)length; i += (nuint)count)
        {
            maxima = TWidth.Max(maxima, TWidth.Load(ref src, i));
        }

        var max = TWidth.Create(TWidth.MaxAcross(maxima));
        var lastExp = TWidth.Exp(TWidth.Subtract(TWidth.Load(ref src, lastOffset), max));
        var sums = TWidth.Zero;
        for (i = 0; i + (nuint)count <= (nuint)length; i += (nuint)count)
        {
            var e = TWidth.Exp(TWidth.Subtract(TWidth.Load(ref src, i), max));
            TWidth.Store(e, ref dst, i);
            sums = TWidth.Add(sums, e);
        }

        var sum = TWidth.Sum(sums);
        var done = (int)i;
        TWidth.Store(lastExp, ref dst, lastOffset);
        for (var j = done; j < length; j++)
        {
            sum += result[j];
        }

        var scale = TWidth.Create(1f / sum);
        var lastScaled = TWidth.Multiply(TWidth.Load(ref dst, lastOffset), scale);
        for (i = 0; i + (nuint)count <= (nuint)length; i += (nuint)count)
        {
            TWidth.Store(TWidth.Multiply(TWidth.Load(ref dst, i), scale), ref dst, i);
        }

        TWidth.Store(lastScaled, ref dst, lastOffset);
    }

    /// <summary>One vector of neighbouring columns, each its own softmax down the axis (stride inner).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnBlock<TVector, TWidth>(ReadOnlySpan<float> input, Span<float> output, int first, int axis, int inner)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var stride = (nuint)inner;
        var at = (nuint)first;
        var max = TWidth.Load(ref src, at);
        for (var a = 1; a < axis; a++)
        {
            max = TWidth.Max(max, TWidth.Load(ref src, at + ((nuint)a * stride)));
        }

        var sum = TWidth.Zero;
        for (var a = 0; a < axis; a++)
        {
            var offset = at + ((nuint)a * stride);
            var e = TWidth.Exp(TWidth.Subtract(TWidth.Load(ref src, offset), max));
            TWidth.Store(e, ref dst, offset);
            sum = TWidth.Add(sum, e);
        }

        var scale = TWidth.Divide(TWidth.Create(1f), sum);
        for (var a = 0; a < axis; a++)
        {
            var offset = at + ((nuint)a * stride);
            TWidth.Store(TWidth.Multiply(TWidth.Load(ref dst, offset), scale), ref dst, offset);
        }
    }

    /// <summary>Columns [from, to) of the [axis, inner] block at start, one at a time with the scalar exp.</summary>
    private static void Columns(ReadOnlySpan<float> input, Span<float> output, int start, int from, int to, int axis, int inner)
    {
        for (var i = from; i < to; i++)
        {
            var first = start + i;
            var max = float.NegativeInfinity;
            for (var a = 0; a < axis; a++)
            {
                max = MathF.Max(max, input[first + (a * inner)]);
            }

            var sum = 0f;
            for (var a = 0; a < axis; a++)
            {
                var e = MathF.Exp(input[first + (a * inner)] - max);
                output[first + (a * inner)] = e;
                sum += e;
            }

            var scale = 1f / sum;
            for (var a = 0; a < axis; a++)
            {
                output[first + (a * inner)] *= scale;
            }
        }
    }
}
