using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

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

    public static float Sum(ReadOnlySpan<float> values, SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => Sum<Vector512<float>, Width512>(values),
        SimdLevel.Vector256 => Sum<Vector256<float>, Width256>(values),
        SimdLevel.Vector128 => Sum<Vector128<float>, Width128>(values),
        _ => SumFrom(values, 0, 0f),
    };

    public static float MaxOf(ReadOnlySpan<float> values, SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => MaxOf<Vector512<float>, Width512>(values),
        SimdLevel.Vector256 => MaxOf<Vector256<float>, Width256>(values),
        SimdLevel.Vector128 => MaxOf<Vector128<float>, Width128>(values),
        _ => MaxFrom(values, 0, float.NegativeInfinity),
    };

    private static float Sum<TVector, TWidth>(ReadOnlySpan<float> values)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        if (values.Length < TWidth.Count)
        {
            return SumFrom(values, 0, 0f);
        }

        ref var r = ref MemoryMarshal.GetReference(values);
        var acc = TWidth.Zero;
        var i = 0;
        for (; i <= values.Length - TWidth.Count; i += TWidth.Count)
        {
            acc = TWidth.Add(acc, TWidth.Load(ref r, (nuint)i));
        }

        // A scalar tail: an overlapping last vector would count some values twice.
        return SumFrom(values, i, TWidth.Sum(acc));
    }

    private static float MaxOf<TVector, TWidth>(ReadOnlySpan<float> values)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        if (values.Length < TWidth.Count)
        {
            return MaxFrom(values, 0, float.NegativeInfinity);
        }

        ref var r = ref MemoryMarshal.GetReference(values);
        var acc = TWidth.Create(float.NegativeInfinity);
        var i = 0;
        for (; i <= values.Length - TWidth.Count; i += TWidth.Count)
        {
            acc = TWidth.Max(acc, TWidth.Load(ref r, (nuint)i));
        }

        return MaxFrom(values, i, TWidth.MaxAcross(acc));
    }

    private static float SumFrom(ReadOnlySpan<float> values, int start, float total)
    {
        for (var i = start; i < values.Length; i++)
        {
            total += values[i];
        }

        return total;
    }

    private static float MaxFrom(ReadOnlySpan<float> values, int start, float best)
    {
        for (var i = start; i < values.Length; i++)
        {
            best = MathF.Max(best, values[i]);
        }

        return best;
    }
}
