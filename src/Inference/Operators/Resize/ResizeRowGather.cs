using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Resize;

/// <summary>
/// The horizontal half of a resize: one input row to one output row through the width axis's taps. Planned once
/// per axis and width: every block of a vector's width whose taps all fall inside one vector-wide window of the
/// input row becomes one load, a permute per tap and a multiply-add per tap (upsampling by any factor, and mild
/// downsampling); other blocks are gathered one element at a time. Nearest blocks are the permute alone.
/// </summary>
public sealed class ResizeRowGather
{
    private readonly ResizeAxis axis;
    private readonly BlockTable blocks128;
    private readonly BlockTable blocks256;
    private readonly BlockTable blocks512;

    /// <summary>Nearest: one tap of weight 1, so a block is a permute and nothing else.</summary>
    private readonly bool pickOnly;

    public ResizeRowGather(ResizeAxis axis)
    {
        this.axis = axis;
        pickOnly = axis.Taps == 1 && axis.Weights.All(w => w == 1f);
        blocks128 = new BlockTable(axis, Vector128<float>.Count);
        blocks256 = new BlockTable(axis, Vector256<float>.Count);
        blocks512 = new BlockTable(axis, Vector512<float>.Count);
    }

    /// <summary>How many output blocks of a level's width take the vector path (tests use it to know both paths ran).</summary>
    public int VectorBlocks(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => blocks512.VectorCount,
        SimdLevel.Vector256 => blocks256.VectorCount,
        SimdLevel.Vector128 => blocks128.VectorCount,
        _ => 0,
    };

    public void Run(ReadOnlySpan<float> row, Span<float> output, SimdLevel level)
    {
        if (row.Length < axis.InSize || output.Length < axis.OutSize)
        {
            throw new ArgumentException($"The row gather maps {axis.InSize} columns to {axis.OutSize}.");
        }

        switch (level)
        {
            case SimdLevel.Vector512 when Width512.IsAccelerated:
                Path<Vector512<float>, Width512>(row, output, blocks512);
                break;
            case >= SimdLevel.Vector256 when Width256.IsAccelerated:
                Path<Vector256<float>, Width256>(row, output, blocks256);
                break;
            case >= SimdLevel.Vector128 when Width128.IsAccelerated:
                Path<Vector128<float>, Width128>(row, output, blocks128);
                break;
            default:
                Scalar(row, output, 0, axis.OutSize);
                break;
        }
    }

    /// <summary>The plain definition over output columns [from, to).</summary>
    private void Scalar(ReadOnlySpan<float> row, Span<float> output, int from, int to)
    {
        var taps = axis.Taps;
        var indices = axis.Indices;
        var weights = axis.Weights;
        for (var o = from; o < to; o++)
        {
            var sum = 0f;
            for (var t = 0; t < taps; t++)
            {
                sum += weights[(o * taps) + t] * row[indices[(o * taps) + t]];
            }

            output[o] = sum;
        }
    }

    /// <summary>Every block of the table: one window load, then per tap a permute (and for blends a multiply-add).</summary>
    private void Path<TVector, TWidth>(ReadOnlySpan<float> row, Span<float> output, BlockTable table)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var lanes = TWidth.Count;
        ref var source = ref MemoryMarshal.GetReference(row);
        ref var destination = ref MemoryMarshal.GetReference(output);
        ref var permutes = ref MemoryMarshal.GetArrayDataReference(table.Permutes);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(table.Weights);
        var bases = table.Bases;
        var taps = axis.Taps;
        for (var b = 0; b < bases.Length; b++)
        {
            // The table keeps every window inside the row: a base is -1 or at most InSize - lanes.
            var start = bases[b];
            if (start < 0)
            {
                Scalar(row, output, b * lanes, Math.Min((b + 1) * lanes, axis.OutSize));
                continue;
            }

            var window = TWidth.Load(ref source, (nuint)start);
            var at = (nuint)(b * taps * lanes);
            if (pickOnly)
            {
                TWidth.Store(TWidth.PermuteVar(window, ref permutes, at), ref destination, (nuint)(b * lanes));
                continue;
            }

            var sum = TWidth.Multiply(TWidth.PermuteVar(window, ref permutes, at), TWidth.Load(ref weights, at));
            for (var t = 1; t < taps; t++)
            {
                at += (nuint)lanes;
                sum = TWidth.FusedMultiplyAdd(TWidth.PermuteVar(window, ref permutes, at), TWidth.Load(ref weights, at), sum);
            }

            TWidth.Store(sum, ref destination, (nuint)(b * lanes));
        }
    }

    /// <summary>
    /// Per block of output lanes: the first input column of its window (-1 when the block is partial, the row is
    /// narrower than a vector, or its taps spread wider than a vector), then for each tap the lane permutation and
    /// the weights.
    /// </summary>
    private sealed class BlockTable
    {
        public BlockTable(ResizeAxis axis, int lanes)
        {
            var count = (axis.OutSize + lanes - 1) / lanes;
            var taps = axis.Taps;
            Bases = new int[count];
            Permutes = new int[count * taps * lanes];
            Weights = new float[count * taps * lanes];
            for (var b = 0; b < count; b++)
            {
                var first = b * lanes;
                if (first + lanes > axis.OutSize || axis.InSize < lanes)
                {
                    Bases[b] = -1;
                    continue;
                }

                int low = int.MaxValue, high = int.MinValue;
                for (var i = first * taps; i < (first + lanes) * taps; i++)
                {
                    low = Math.Min(low, axis.Indices[i]);
                    high = Math.Max(high, axis.Indices[i]);
                }

                // Keep the window inside the row.
                low = Math.Max(0, Math.Min(low, axis.InSize - lanes));
                if (high - low >= lanes)
                {
                    Bases[b] = -1;
                    continue;
                }

                Bases[b] = low;
                VectorCount++;
                for (var t = 0; t < taps; t++)
                {
                    for (var l = 0; l < lanes; l++)
                    {
                        var at = (((b * taps) + t) * lanes) + l;
                        Permutes[at] = axis.Indices[((first + l) * taps) + t] - low;
                        Weights[at] = axis.Weights[((first + l) * taps) + t];
                    }
                }
            }
        }

        public int[] Bases { get; }

        public int[] Permutes { get; }

        public float[] Weights { get; }

        public int VectorCount { get; }
    }
}
