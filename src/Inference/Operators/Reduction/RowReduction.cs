using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Reduction;

/// <summary>One contiguous row folded to one value: the horizontal half of every reduction, and row statistics.</summary>
internal static class RowReduction
{
    public static float Reduce<TOperator>(ReadOnlySpan<float> row, float shift, SimdLevel level)
        where TOperator : IReductionOperator =>
        SimdCapabilities.Require(level) switch
        {
            SimdLevel.Vector512 => Horizontal<Vector512<float>, Width512, TOperator>(row, shift),
            SimdLevel.Vector256 => Horizontal<Vector256<float>, Width256, TOperator>(row, shift),
            SimdLevel.Vector128 => Horizontal<Vector128<float>, Width128, TOperator>(row, shift),
            _ => HorizontalScalar<TOperator>(row, shift),
        };

    public static float HorizontalScalar<TOperator>(ReadOnlySpan<float> row, float shift)
        where TOperator : IReductionOperator
    {
        var result = TOperator.Identity;
        foreach (var x in row)
        {
            result = TOperator.Combine(result, TOperator.Map(x, shift));
        }

        return result;
    }

    /// <summary>Four independent accumulators so the combine's latency does not bound a memory-speed loop.</summary>
    public static float Horizontal<TVector, TWidth, TOperator>(ReadOnlySpan<float> row, float shift)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IReductionOperator
    {
        var count = TWidth.Count;
        if (row.Length < count)
        {
            return HorizontalScalar<TOperator>(row, shift);
        }

        ref var x = ref MemoryMarshal.GetReference(row);
        var s = TWidth.Create(shift);
        var a0 = TWidth.Create(TOperator.Identity);
        var a1 = a0;
        var a2 = a0;
        var a3 = a0;
        var length = (nuint)row.Length;
        var step = (nuint)count;
        nuint i = 0;
        for (; i + (4 * step) <= length; i += 4 * step)
        {
            a0 = TOperator.Combine<TVector, TWidth>(a0, TOperator.Map<TVector, TWidth>(TWidth.Load(ref x, i), s));
            a1 = TOperator.Combine<TVector, TWidth>(a1, TOperator.Map<TVector, TWidth>(TWidth.Load(ref x, i + step), s));
            a2 = TOperator.Combine<TVector, TWidth>(a2, TOperator.Map<TVector, TWidth>(TWidth.Load(ref x, i + (2 * step)), s));
            a3 = TOperator.Combine<TVector, TWidth>(a3, TOperator.Map<TVector, TWidth>(TWidth.Load(ref x, i + (3 * step)), s));
        }

        for (; i + step <= length; i += step)
        {
            a0 = TOperator.Combine<TVector, TWidth>(a0, TOperator.Map<TVector, TWidth>(TWidth.Load(ref x, i), s));
        }

        var result = TOperator.Across<TVector, TWidth>(TOperator.Combine<TVector, TWidth>(TOperator.Combine<TVector, TWidth>(a0, a1), TOperator.Combine<TVector, TWidth>(a2, a3)));
        for (; i < length; i++)
        {
            result = TOperator.Combine(result, TOperator.Map(row[(int)i], shift));
        }

        return result;
    }
}
