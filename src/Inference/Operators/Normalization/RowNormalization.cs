using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Operators.Reduction;
using ConvService.Inference.Simd;
using static ConvService.Inference.Operators.Pairwise.PairwiseOperators;
using static ConvService.Inference.Operators.Reduction.ElementMaps;

namespace ConvService.Inference.Operators.Normalization;

/// <summary>
/// The pieces of Instance, Layer and Group normalisation over contiguous rows: the mean and variance in two passes
/// (the second shifted by the mean, so no cancellation), then (x - mean) / sqrt(variance + epsilon) with a scale
/// and a bias that are either one value per row or one per element.
/// </summary>
public static class RowNormalization
{
    public static (float Mean, float Variance) Moments(ReadOnlySpan<float> row, SimdLevel level)
    {
        if (row.IsEmpty)
        {
            return (float.NaN, float.NaN);
        }

        var mean = RowReduction.Reduce<Unchanged, AddOperator>(row, 0f, level) / row.Length;
        var variance = RowReduction.Reduce<ShiftedSquare, AddOperator>(row, mean, level) / row.Length;
        return (mean, variance);
    }

    /// <summary>The definition in double.</summary>
    public static (float Mean, float Variance) MomentsReference(ReadOnlySpan<float> row)
    {
        double sum = 0;
        foreach (var x in row)
        {
            sum += x;
        }

        var mean = sum / row.Length;
        double squares = 0;
        foreach (var x in row)
        {
            squares += (x - mean) * (x - mean);
        }

        return ((float)mean, (float)(squares / row.Length));
    }

    /// <summary>y[i] = (x[i] - mean) * invStd * scale[i] + bias[i] (LayerNormalization's per-element affine).</summary>
    public static void NormalizeElementwise(ReadOnlySpan<float> row, Span<float> destination, float mean, float invStd, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, SimdLevel level)
    {
        if (scale.Length < row.Length || bias.Length < row.Length || destination.Length < row.Length)
        {
            throw new ArgumentException("Scale, bias and destination must cover the row.");
        }

        var done = SimdCapabilities.Require(level) switch
        {
            SimdLevel.Vector512 => Path<Vector512<float>, Width512>(row, destination, mean, invStd, scale, bias),
            SimdLevel.Vector256 => Path<Vector256<float>, Width256>(row, destination, mean, invStd, scale, bias),
            SimdLevel.Vector128 => Path<Vector128<float>, Width128>(row, destination, mean, invStd, scale, bias),
            _ => 0,
        };

        for (var i = done; i < row.Length; i++)
        {
            destination[i] = ((row[i] - mean) * invStd * scale[i]) + bias[i];
        }
    }

    private static int Path<TVector, TWidth>(ReadOnlySpan<float> row, Span<float> destination, float mean, float invStd, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        ref var x = ref MemoryMarshal.GetReference(row);
        ref var y = ref MemoryMarshal.GetReference(destination);
        ref var s = ref MemoryMarshal.GetReference(scale);
        ref var b = ref MemoryMarshal.GetReference(bias);
        var m = TWidth.Create(mean);
        var r = TWidth.Create(invStd);
        var count = TWidth.Count;
        var i = 0;
        for (; i + count <= row.Length; i += count)
        {
            var n = TWidth.Multiply(TWidth.Multiply(TWidth.Subtract(TWidth.Load(ref x, (nuint)i), m), r), TWidth.Load(ref s, (nuint)i));
            TWidth.Store(TWidth.Add(n, TWidth.Load(ref b, (nuint)i)), ref y, (nuint)i);
        }

        return i;
    }
}
