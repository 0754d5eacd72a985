using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Operators.Softmax;

/// <summary>
/// Softmax over the middle axis of an [outer, axis, inner] view; opset &lt; 13 semantics are the special case
/// inner == 1 with the axis covering every trailing dimension. Max-subtracted for stability. Contiguous rows
/// (inner == 1) vectorise the max and the final scaling; exp stays scalar so every level rounds alike.
/// </summary>
public static class SoftmaxKernel
{
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner) =>
        Run(input, output, outer, axis, inner, SimdCapabilities.Best);

    public static void Run(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner, SimdLevel level)
    {
        level = SimdCapabilities.Require(level);
        if (inner == 1 && level != SimdLevel.Scalar)
        {
            for (var o = 0; o < outer; o++)
            {
                ContiguousRow(input.Slice(o * axis, axis), output.Slice(o * axis, axis), level);
            }

            return;
        }

        Reference(input, output, outer, axis, inner);
    }

    /// <summary>The scalar definition.</summary>
    public static void Reference(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner)
    {
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                var start = o * axis * inner + i;
                var max = float.NegativeInfinity;
                for (var a = 0; a < axis; a++)
                {
                    max = MathF.Max(max, input[start + a * inner]);
                }

                var sum = 0f;
                for (var a = 0; a < axis; a++)
                {
                    var e = MathF.Exp(input[start + a * inner] - max);
                    output[start + a * inner] = e;
                    sum += e;
                }

                var scale = 1f / sum;
                for (var a = 0; a < axis; a++)
                {
                    output[start + a * inner] *= scale;
                }
            }
        }
    }

    private static void ContiguousRow(ReadOnlySpan<float> row, Span<float> result, SimdLevel level)
    {
        var max = GlobalPoolKernel.MaxOf(row, level);
        var sum = 0f;
        for (var a = 0; a < row.Length; a++)
        {
            var e = MathF.Exp(row[a] - max);
            result[a] = e;
            sum += e;
        }

        var scale = 1f / sum;
        ref var r = ref MemoryMarshal.GetReference(result);
        var i = 0;
        if (level == SimdLevel.Vector512)
        {
            var s = Vector512.Create(scale);
            for (; i <= result.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref r, (nuint)i) * s).StoreUnsafe(ref r, (nuint)i);
            }
        }
        else
        {
            var s = Vector256.Create(scale);
            for (; i <= result.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref r, (nuint)i) * s).StoreUnsafe(ref r, (nuint)i);
            }
        }

        for (; i < result.Length; i++)
        {
            result[i] *= scale;
        }
    }
}
