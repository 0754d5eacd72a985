using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Resize;

/// <summary>
/// The horizontal half of a resize: one input row to one output row through the width axis's taps. Planned once
/// per axis and width: every block of a vector's width whose taps all fall inside one vector-wide window of the
/// input row becomes one load, a permute per tap and a multiply-add per tap (upsampling by any factor, and mild
/// downsampling); other blocks are gathered one element at a time. Nearest blocks are the permute alone, and
/// nearest upsampling by a whole factor f (output column o reads input o / f) walks the input instead: each
/// aligned input vector is loaded once and spread into f output vectors by f fixed permutes. The output-block
/// walk loads a window at every block, half a vector apart for x2, so at 512 bits at least every other load
/// straddled two cache lines; the input walk measured about 1.4x faster at 512 bits.
/// </summary>
public sealed class ResizeRowGather
{
    private readonly ResizeAxis axis;
    private readonly BlockTable blocks128;
    private readonly BlockTable blocks256;
    private readonly BlockTable blocks512;

    /// <summary>Nearest: one tap of weight 1, so a block is a permute and nothing else.</summary>
    private readonly bool pickOnly;

    /// <summary>Whole-factor nearest upsampling's factor (output o reads input o / factor), or 0.</summary>
    private readonly int factor;

    /// <summary>Per width, the factor's permutes: lane l of output vector j of an input vector reads lane (j * lanes + l) / factor.</summary>
    private readonly int[] spread128 = [];
    private readonly int[] spread256 = [];
    private readonly int[] spread512 = [];

    public ResizeRowGather(ResizeAxis axis)
    {
        this.axis = axis;
        pickOnly = axis.Taps == 1 && axis.Weights.All(w => w == 1f);
        blocks128 = new BlockTable(axis, Vector128<float>.Count);
        blocks256 = new BlockTable(axis, Vector256<float>.Count);
        blocks512 = new BlockTable(axis, Vector512<float>.Count);
        factor = pickOnly ? WholeFactor(axis) : 0;
        if (factor > 0)
        {
            spread128 = Spread(factor, Vector128<float>.Count);
            spread256 = Spread(factor, Vector256<float>.Count);
            spread512 = Spread(factor, Vector512<float>.Count);
        }
    }

    /// <summary>The whole factor f when output column o reads input column o / f for every o, else 0.</summary>
    public int ReplicationFactor => factor;

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

        if (factor > 0)
        {
            switch (level)
            {
                case SimdLevel.Vector512 when Width512.IsAccelerated && axis.InSize >= Vector512<float>.Count:
                    Replicate<Vector512<float>, Width512>(row, output, spread512);
                    return;
                case >= SimdLevel.Vector256 when Width256.IsAccelerated && axis.InSize >= Vector256<float>.Count:
                    Replicate<Vector256<float>, Width256>(row, output, spread256);
                    return;
                case >= SimdLevel.Vector128 when Width128.IsAccelerated && axis.InSize >= Vector128<float>.Count:
                    Replicate<Vector128<float>, Width128>(row, output, spread128);
                    return;
            }
        }

        switch (level)
        {
            case SimdLevel.Vector512 when Width512.IsAccelerated:
                Path<Vector512<float>, Width512>(row, output, blocks512);
                Fallback(row, output, blocks512);
                break;
            case >= SimdLevel.Vector256 when Width256.IsAccelerated:
                Path<Vector256<float>, Width256>(row, output, blocks256);
                Fallback(row, output, blocks256);
                break;
            case >= SimdLevel.Vector128 when Width128.IsAccelerated:
                Path<Vector128<float>, Width128>(row, output, blocks128);
                Fallback(row, output, blocks128);
                break;
            default:
                Scalar(row, output, 0, axis.OutSize);
                break;
        }
    }

    /// <summary>The blocks the vector path leaves, one element at a time.</summary>
    private void Fallback(ReadOnlySpan<float> row, Span<float> output, BlockTable table)
    {
        foreach (var b in table.ScalarBlocks)
        {
            Scalar(row, output, b * table.Lanes, Math.Min((b + 1) * table.Lanes, axis.OutSize));
        }
    }

    /// <summary>True when <see cref="RunPlane"/> takes the whole-factor path at this level.</summary>
    public bool ReplicatesAt(SimdLevel level) => factor > 0 && level switch
    {
        SimdLevel.Vector512 => Width512.IsAccelerated && axis.InSize >= Vector512<float>.Count,
        SimdLevel.Vector256 => Width256.IsAccelerated && axis.InSize >= Vector256<float>.Count,
        SimdLevel.Vector128 => Width128.IsAccelerated && axis.InSize >= Vector128<float>.Count,
        _ => false,
    };

    /// <summary>
    /// A whole nearest plane: output row y is input row <paramref name="sourceRows"/>[y] replicated across, or a
    /// copy of output row y - 1 when both read the same input row. One call per plane keeps the per-row dispatch
    /// (which at x2 is a fifth of a row's time) out of the loop. Needs <see cref="ReplicatesAt"/>.
    /// </summary>
    public void RunPlane(ReadOnlySpan<float> plane, ReadOnlySpan<int> sourceRows, Span<float> output, SimdLevel level)
    {
        int inW = axis.InSize, outW = axis.OutSize;
        if (!ReplicatesAt(level) || output.Length < sourceRows.Length * outW)
        {
            throw new ArgumentException("RunPlane needs whole-factor replication at this level and an output of every row.");
        }

        foreach (var row in sourceRows)
        {
            _ = plane.Slice(row * inW, inW);
        }

        switch (level)
        {
            case SimdLevel.Vector512:
                ReplicatePlane<Vector512<float>, Width512>(plane, sourceRows, output, spread512);
                break;
            case SimdLevel.Vector256:
                ReplicatePlane<Vector256<float>, Width256>(plane, sourceRows, output, spread256);
                break;
            default:
                ReplicatePlane<Vector128<float>, Width128>(plane, sourceRows, output, spread128);
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

    /// <summary>Every vector block of the table: one window load, then per tap a permute (and for blends a multiply-add).</summary>
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
            // The table keeps every window inside the row: a base is -1 (left to the scalar fallback) or at most
            // InSize - lanes.
            var start = bases[b];
            if (start < 0)
            {
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
    /// Whole-factor nearest upsampling, one input vector at a time; the last vector is moved back to end at the
    /// row's end, so it may rewrite outputs the one before wrote, with the same values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Replicate<TVector, TWidth>(ReadOnlySpan<float> row, Span<float> output, int[] spread)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var lanes = TWidth.Count;
        var last = axis.InSize - lanes;
        var f = factor;
        ref var source = ref MemoryMarshal.GetReference(row);
        ref var destination = ref MemoryMarshal.GetReference(output);
        ref var permutes = ref MemoryMarshal.GetArrayDataReference(spread);
        for (var i = 0; ; i += lanes)
        {
            i = Math.Min(i, last);
            var values = TWidth.Load(ref source, (nuint)i);
            var at = (nuint)(i * f);
            for (var j = 0; j < f; j++)
            {
                TWidth.Store(TWidth.PermuteVar(values, ref permutes, (nuint)(j * lanes)), ref destination, at + (nuint)(j * lanes));
            }

            if (i == last)
            {
                return;
            }
        }
    }

    private void ReplicatePlane<TVector, TWidth>(ReadOnlySpan<float> plane, ReadOnlySpan<int> sourceRows, Span<float> output, int[] spread)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        int inW = axis.InSize, outW = axis.OutSize;
        for (var y = 0; y < sourceRows.Length; y++)
        {
            var outRow = output.Slice(y * outW, outW);
            if (y > 0 && sourceRows[y] == sourceRows[y - 1])
            {
                output.Slice((y - 1) * outW, outW).CopyTo(outRow);
                continue;
            }

            Replicate<TVector, TWidth>(plane.Slice(sourceRows[y] * inW, inW), outRow, spread);
        }
    }

    private static int WholeFactor(ResizeAxis axis)
    {
        var f = axis.InSize == 0 ? 0 : axis.OutSize / axis.InSize;
        if (f < 2 || axis.OutSize != f * axis.InSize || axis.AnyOutside)
        {
            return 0;
        }

        for (var o = 0; o < axis.OutSize; o++)
        {
            if (axis.Indices[o] != o / f)
            {
                return 0;
            }
        }

        return f;
    }

    private static int[] Spread(int factor, int lanes)
    {
        var table = new int[factor * lanes];
        for (var k = 0; k < table.Length; k++)
        {
            table[k] = k / factor;
        }

        return table;
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
            var scalar = new List<int>();
            Lanes = lanes;
            Bases = new int[count];
            Permutes = new int[count * taps * lanes];
            Weights = new float[count * taps * lanes];
            for (var b = 0; b < count; b++)
            {
                var first = b * lanes;
                if (first + lanes > axis.OutSize || axis.InSize < lanes)
                {
                    Bases[b] = -1;
                    scalar.Add(b);
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
                    scalar.Add(b);
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

            ScalarBlocks = [.. scalar];
        }

        public int Lanes { get; }

        public int[] Bases { get; }

        public int[] Permutes { get; }

        public float[] Weights { get; }

        public int VectorCount { get; }

        /// <summary>The blocks whose base is -1.</summary>
        public int[] ScalarBlocks { get; }
    }
}
