using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>GlobalAveragePool and GlobalMaxPool: one value per plane, reduced with the widest vectors available.</summary>
public static class GlobalPoolKernel
{
    public static void Average(ReadOnlySpan<float> input, Span<float> output, int planes, int planeSize, SimdLevel level)
    {
        for (var p = 0; p < planes; p++)
        {
            output[p] = Sum(input.Slice(p * planeSize, planeSize), SimdCapabilities.Require(level)) / planeSize;
        }
    }

    public static void Max(ReadOnlySpan<float> input, Span<float> output, int planes, int planeSize, SimdLevel level)
    {
        for (var p = 0; p < planes; p++)
        {
            output[p] = MaxOf(input.Slice(p * planeSize, planeSize), SimdCapabilities.Require(level));
        }
    }

    public static float Sum(ReadOnlySpan<float> values, SimdLevel level)
    {
        ref var r = ref MemoryMarshal.GetReference(values);
        var i = 0;
        var total = 0f;
        if (level == SimdLevel.Vector512 && values.Length >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                acc += Vector512.LoadUnsafe(ref r, (nuint)i);
            }

            total = Vector512.Sum(acc);
        }
        else if (level == SimdLevel.Vector256 && values.Length >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                acc += Vector256.LoadUnsafe(ref r, (nuint)i);
            }

            total = Vector256.Sum(acc);
        }

        for (; i < values.Length; i++)
        {
            total += values[i];
        }

        return total;
    }

    public static float MaxOf(ReadOnlySpan<float> values, SimdLevel level)
    {
        ref var r = ref MemoryMarshal.GetReference(values);
        var i = 0;
        var best = float.NegativeInfinity;
        if (level == SimdLevel.Vector512 && values.Length >= Vector512<float>.Count)
        {
            var acc = Vector512.Create(float.NegativeInfinity);
            for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                acc = Vector512.Max(acc, Vector512.LoadUnsafe(ref r, (nuint)i));
            }

            for (var k = 0; k < Vector512<float>.Count; k++)
            {
                best = MathF.Max(best, acc[k]);
            }
        }
        else if (level == SimdLevel.Vector256 && values.Length >= Vector256<float>.Count)
        {
            var acc = Vector256.Create(float.NegativeInfinity);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                acc = Vector256.Max(acc, Vector256.LoadUnsafe(ref r, (nuint)i));
            }

            for (var k = 0; k < Vector256<float>.Count; k++)
            {
                best = MathF.Max(best, acc[k]);
            }
        }

        for (; i < values.Length; i++)
        {
            best = MathF.Max(best, values[i]);
        }

        return best;
    }
}
