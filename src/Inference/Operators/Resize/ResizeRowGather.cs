using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Operators.Resize;

/// <summary>
/// The horizontal half of a resize: one input row to one output row through the width axis's taps. Planned once
/// per axis: every block of a vector's width whose taps all fall inside one vector-wide window of the input row
/// becomes one load, a permute per tap and a multiply-add per tap (upsampling by any factor, and mild
/// downsampling); other blocks are gathered one element at a time. The permutes are AVX2's and AVX-512's, so the
/// Vector128 level gathers every block one element at a time.
/// </summary>
public sealed class ResizeRowGather
{
    private readonly ResizeAxis axis;
    private readonly BlockTable blocks256;
    private readonly BlockTable blocks512;

    /// <summary>Nearest: one tap of weight 1, so a block is a permute and nothing else.</summary>
    private readonly bool pickOnly;

    public ResizeRowGather(ResizeAxis axis)
    {
        this.axis = axis;
        pickOnly = axis.Taps == 1 && axis.Weights.All(w => w == 1f);
        blocks256 = new BlockTable(axis, Vector256<float>.Count);
        blocks512 = new BlockTable(axis, Vector512<float>.Count);
    }

    /// <summary>How many output blocks of each width take the vector path (tests use it to know both paths ran).</summary>
    public (int Of256, int Of512) VectorBlocks => (blocks256.VectorCount, blocks512.VectorCount);

    public void Run(ReadOnlySpan<float> row, Span<float> output, SimdLevel level)
    {
        if (level == SimdLevel.Vector512 && Avx512F.IsSupported)
        {
            Run512(row, output);
        }
        else if (level >= SimdLevel.Vector256 && Avx2.IsSupported)
        {
            Run256(row, output);
        }
        else
        {
            Scalar(row, output, 0, axis.OutSize);
        }
    }

    /// <summary>True when <see cref="RunRepeated"/> writes straight from registers: nearest, every block a vector.</summary>
    public bool CanRepeat => pickOnly && Avx512F.IsSupported && axis.InSize >= Vector512<float>.Count && blocks512.VectorCount * Vector512<float>.Count == axis.OutSize;

    /// <summary>
    /// The same output row written <paramref name="count"/> times, one after another in <paramref name="output"/>,
    /// from each permuted vector while it is in a register: nearest upsampling writes every row this way, and the
    /// copies never read back what was just written. (Streaming stores were tried here and lost: an upsampled
    /// decoder plane fits the last-level cache, where the next layer reads it.)
    /// </summary>
    public void RunRepeated(ReadOnlySpan<float> row, Span<float> output, int count, SimdLevel level)
    {
        var width = axis.OutSize;
        if (output.Length < count * width)
        {
            throw new ArgumentException("Output is shorter than count rows.", nameof(output));
        }

        if (!CanRepeat || level != SimdLevel.Vector512)
        {
            Run(row, output[..width], level);
            for (var r = 1; r < count; r++)
            {
                output[..width].CopyTo(output.Slice(r * width, width));
            }

            return;
        }

        const int lanes = 16;
        var table = blocks512;
        ref var source = ref MemoryMarshal.GetReference(row);
        ref var destination = ref MemoryMarshal.GetReference(output);
        for (var b = 0; b < table.Bases.Length; b++)
        {
            var picked = Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref source, (nuint)table.Bases[b]), Vector512.LoadUnsafe(ref table.Permutes[b * lanes]));
            for (var r = 0; r < count; r++)
            {
                picked.StoreUnsafe(ref destination, (nuint)((r * width) + (b * lanes)));
            }
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

    private void Run512(ReadOnlySpan<float> row, Span<float> output)
    {
        const int lanes = 16;
        var table = blocks512;
        ref var source = ref MemoryMarshal.GetReference(row);
        ref var destination = ref MemoryMarshal.GetReference(output);
        var taps = axis.Taps;
        for (var b = 0; b < table.Bases.Length; b++)
        {
            var start = table.Bases[b];
            if (start < 0 || start + lanes > row.Length)
            {
                Scalar(row, output, b * lanes, Math.Min((b + 1) * lanes, axis.OutSize));
                continue;
            }

            var window = Vector512.LoadUnsafe(ref source, (nuint)start);
            var at = b * taps * lanes;
            if (pickOnly)
            {
                Avx512F.PermuteVar16x32(window, Vector512.LoadUnsafe(ref table.Permutes[at])).StoreUnsafe(ref destination, (nuint)(b * lanes));
                continue;
            }

            var sum = Avx512F.PermuteVar16x32(window, Vector512.LoadUnsafe(ref table.Permutes[at])) * Vector512.LoadUnsafe(ref table.Weights[at]);
            for (var t = 1; t < taps; t++)
            {
                at += lanes;
                sum = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32(window, Vector512.LoadUnsafe(ref table.Permutes[at])), Vector512.LoadUnsafe(ref table.Weights[at]), sum);
            }

            sum.StoreUnsafe(ref destination, (nuint)(b * lanes));
        }
    }

    private void Run256(ReadOnlySpan<float> row, Span<float> output)
    {
        const int lanes = 8;
        var table = blocks256;
        ref var source = ref MemoryMarshal.GetReference(row);
        ref var destination = ref MemoryMarshal.GetReference(output);
        var taps = axis.Taps;
        for (var b = 0; b < table.Bases.Length; b++)
        {
            var start = table.Bases[b];
            if (start < 0 || start + lanes > row.Length)
            {
                Scalar(row, output, b * lanes, Math.Min((b + 1) * lanes, axis.OutSize));
                continue;
            }

            var window = Vector256.LoadUnsafe(ref source, (nuint)start);
            var at = b * taps * lanes;
            if (pickOnly)
            {
                Avx2.PermuteVar8x32(window, Vector256.LoadUnsafe(ref table.Permutes[at])).StoreUnsafe(ref destination, (nuint)(b * lanes));
                continue;
            }

            var sum = Avx2.PermuteVar8x32(window, Vector256.LoadUnsafe(ref table.Permutes[at])) * Vector256.LoadUnsafe(ref table.Weights[at]);
            for (var t = 1; t < taps; t++)
            {
                at += lanes;
                sum = Vector256.FusedMultiplyAdd(Avx2.PermuteVar8x32(window, Vector256.LoadUnsafe(ref table.Permutes[at])), Vector256.LoadUnsafe(ref table.Weights[at]), sum);
            }

            sum.StoreUnsafe(ref destination, (nuint)(b * lanes));
        }
    }

    /// <summary>
    /// Per block of output lanes: the first input column of its window (-1 when the block is partial or its taps
    /// spread wider than a vector), then for each tap the lane permutation and the weights.
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
                if (first + lanes > axis.OutSize)
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

                // Keep the window inside the row when the row is at least a vector wide.
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
