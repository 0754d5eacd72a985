using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Operators.Pairwise;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Reduction;

/// <summary>
/// One contiguous row folded to one value: the horizontal half of every reduction, global pooling and row
/// statistics. Each element goes through <typeparamref name="TMap"/> and is folded with <typeparamref name="TCombine"/>.
/// </summary>
internal static class RowReduction
{
    public static float Reduce<TMap, TCombine>(ReadOnlySpan<float> row, float shift, SimdLevel level)
        where TMap : IElementMap
        where TCombine : IAssociativeOperator =>
        SimdCapabilities.Require(level) switch
        {
            SimdLevel.Vector512 => Horizontal<Vector512<float>, Width512, TMap, TCombine>(row, shift),
            SimdLevel.Vector256 => Horizontal<Vector256<float>, Width256, TMap, TCombine>(row, shift),
            SimdLevel.Vector128 => Horizontal<Vector128<float>, Width128, TMap, TCombine>(row, shift),
            _ => HorizontalScalar<TMap, TCombine>(row, shift),
        };

    public static float HorizontalScalar<TMap, TCombine>(ReadOnlySpan<float> row, float shift)
        where TMap : IElementMap
        where TCombine : IAssociativeOperator
    {
        var result = TCombine.Identity;
        foreach (var x in row)
        {
            result = TCombine.Invoke(result, TMap.Map(x, shift));
        }

        return result;
    }

    /// <summary>Four independent accumulators so the combine's latency does not bound a memory-speed loop.</summary>
    public static float Horizontal<TVector, TWidth, TMap, TCombine>(ReadOnlySpan<float> row, float shift)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TMap : IElementMap
        where TCombine : IAssociativeOperator
    {
        var count = TWidth.Count;
        if (row.Length < count)
        {
            return HorizontalScalar<TMap, TCombine>(row, shift);
        }

        ref var x = ref MemoryMarshal.GetReference(row);
        var s = TWidth.Create(shift);
        var a0 = TWidth.Create(TCombine.Identity);
        var a1 = a0;
        var a2 = a0;
        var a3 = a0;
        var length = (nuint)row.Length;
        var step = (nuint)count;
        nuint i = 0;
        for (; i + (4 * step) <= length; i += 4 * step)
        {
            a0 = Fold<TVector, TWidth, TMap, TCombine>(a0, TWidth.Load(ref x, i), s);
            a1 = Fold<TVector, TWidth, TMap, TCombine>(a1, TWidth.Load(ref x, i + step), s);
            a2 = Fold<TVector, TWidth, TMap, TCombine>(a2, TWidth.Load(ref x, i + (2 * step)), s);
            a3 = Fold<TVector, TWidth, TMap, TCombine>(a3, TWidth.Load(ref x, i + (3 * step)), s);
        }

        for (; i + step <= length; i += step)
        {
            a0 = Fold<TVector, TWidth, TMap, TCombine>(a0, TWidth.Load(ref x, i), s);
        }

        var result = TCombine.Across<TVector, TWidth>(TCombine.Invoke<TVector, TWidth>(TCombine.Invoke<TVector, TWidth>(a0, a1), TCombine.Invoke<TVector, TWidth>(a2, a3)));
        for (; i < length; i++)
        {
            result = TCombine.Invoke(result, TMap.Map(row[(int)i], shift));
        }

        return result;
    }

    /// <summary>accumulator combined with map(x): one step of every vector fold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Fold<TVector, TWidth, TMap, TCombine>(TVector accumulator, TVector x, TVector shift)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TMap : IElementMap
        where TCombine : IAssociativeOperator =>
        TCombine.Invoke<TVector, TWidth>(accumulator, TMap.Map<TVector, TWidth>(x, shift));
}
