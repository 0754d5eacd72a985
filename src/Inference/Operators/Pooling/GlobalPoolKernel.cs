using ConvService.Inference.Operators.Reduction;
using ConvService.Inference.Simd;
using static ConvService.Inference.Operators.Pairwise.PairwiseOperators;
using static ConvService.Inference.Operators.Reduction.ElementMaps;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>GlobalAveragePool and GlobalMaxPool: one value per plane, each plane a row for <see cref="RowReduction"/>.</summary>
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

    public static float Sum(ReadOnlySpan<float> values, SimdLevel level) =>
        RowReduction.Reduce<Unchanged, AddOperator>(values, 0f, level);

    public static float MaxOf(ReadOnlySpan<float> values, SimdLevel level) =>
        RowReduction.Reduce<Unchanged, MaxOperator>(values, 0f, level);
}
