using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Operators.Unary;
using ConvService.Inference.Simd;
using ConvService.Inference.Operators.Pairwise;
using static ConvService.Inference.Operators.Pairwise.PairwiseOperators;
using static ConvService.Inference.Operators.Reduction.ElementMaps;

namespace ConvService.Inference.Operators.Reduction;

/// <summary>
/// A reduction over a set of axes, prepared once: size-1 dimensions dropped and neighbours of the same kind
/// (reduced or kept) merged. The input is then walked once in memory order as rows of its innermost run: a reduced
/// run folds into one output element (a horizontal reduction), a kept run folds element-wise into a row of the
/// output (a vertical one). Mean, L2, LogSum and LogSumExp finish with one pass over the output.
/// </summary>
public sealed class ReductionPlan
{
    private readonly int[] sizes;
    private readonly bool[] reduced;
    private readonly int[] outputStrides;

    private ReductionPlan(int[] sizes, bool[] reduced, int[] outputStrides, int inputLength, int outputLength, long reducedCount)
    {
        this.sizes = sizes;
        this.reduced = reduced;
        this.outputStrides = outputStrides;
        InputLength = inputLength;
        OutputLength = outputLength;
        ReducedCount = reducedCount;
    }

    public int InputLength { get; }

    public int OutputLength { get; }

    /// <summary>Input elements behind each output element.</summary>
    public long ReducedCount { get; }

    /// <summary>Floats of scratch Execute needs (LogSumExp keeps each output's maximum).</summary>
    public int ScratchFloats(ReductionKind kind) => kind == ReductionKind.LogSumExp ? OutputLength : 0;

    /// <summary>The plan for <paramref name="shape"/> reduced over <paramref name="axes"/> (resolved, non-negative).</summary>
    public static ReductionPlan Create(int[] shape, IReadOnlySet<int> axes)
    {
        var sizes = new List<int>();
        var flags = new List<bool>();
        for (var d = 0; d < shape.Length; d++)
        {
            var isReduced = axes.Contains(d);
            if (shape[d] == 1)
            {
                continue;
            }

            if (flags.Count > 0 && flags[^1] == isReduced)
            {
                sizes[^1] *= shape[d];
                continue;
            }

            sizes.Add(shape[d]);
            flags.Add(isReduced);
        }

        if (sizes.Count == 0)
        {
            sizes.Add(1);
            flags.Add(false);
        }

        var strides = new int[sizes.Count];
        var stride = 1;
        for (var d = sizes.Count - 1; d >= 0; d--)
        {
            strides[d] = flags[d] ? 0 : stride;
            stride *= flags[d] ? 1 : sizes[d];
        }

        var inputLength = shape.Aggregate(1, (p, d) => p * d);
        long reducedCount = 1;
        for (var d = 0; d < shape.Length; d++)
        {
            reducedCount *= axes.Contains(d) ? shape[d] : 1;
        }

        var outputLength = 1;
        for (var d = 0; d < shape.Length; d++)
        {
            outputLength *= axes.Contains(d) ? 1 : shape[d];
        }

        return new ReductionPlan([.. sizes], [.. flags], strides, inputLength, outputLength, reducedCount);
    }

    public void Execute(ReductionKind kind, ReadOnlySpan<float> input, Span<float> output, Span<float> scratch, SimdLevel level)
    {
        if (input.Length < InputLength || output.Length < OutputLength)
        {
            throw new ArgumentException("A tensor is shorter than the plan's shape.");
        }

        output = output[..OutputLength];
        switch (kind)
        {
            case ReductionKind.Sum: Run<Unchanged, AddOperator>(input, output, [], level); break;
            case ReductionKind.Mean:
                Run<Unchanged, AddOperator>(input, output, [], level);
                UnaryKernel.Apply(output, output, new UnaryFunction(UnaryKind.Affine, 1f / ReducedCount, 0f), level);
                break;
            case ReductionKind.Max: Run<Unchanged, MaxOperator>(input, output, [], level); break;
            case ReductionKind.Min: Run<Unchanged, MinOperator>(input, output, [], level); break;
            case ReductionKind.Prod: Run<Unchanged, MultiplyOperator>(input, output, [], level); break;
            case ReductionKind.L1: Run<Magnitude, AddOperator>(input, output, [], level); break;
            case ReductionKind.SumSquare: Run<Square, AddOperator>(input, output, [], level); break;
            case ReductionKind.L2:
                Run<Square, AddOperator>(input, output, [], level);
                UnaryKernel.Apply(output, output, new UnaryFunction(UnaryKind.Sqrt), level);
                break;
            case ReductionKind.LogSum:
                Run<Unchanged, AddOperator>(input, output, [], level);
                UnaryKernel.Apply(output, output, new UnaryFunction(UnaryKind.Log), level);
                break;
            case ReductionKind.LogSumExp:
                var shift = scratch[..OutputLength];
                Run<Unchanged, MaxOperator>(input, shift, [], level);
                for (var i = 0; i < shift.Length; i++)
                {
                    // An infinite maximum would turn x - max into NaN; no shift is needed where nothing is finite.
                    shift[i] = float.IsFinite(shift[i]) ? shift[i] : 0f;
                }

                Run<ShiftedExp, AddOperator>(input, output, shift, level);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = MathF.Log(output[i]) + shift[i];
                }

                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown reduction");
        }
    }

    /// <summary>The definition, in double: every output from the list of its inputs.</summary>
    public static float[] Reference(ReductionKind kind, int[] shape, float[] input, IReadOnlySet<int> axes)
    {
        var outputLength = 1;
        for (var d = 0; d < shape.Length; d++)
        {
            outputLength *= axes.Contains(d) ? 1 : shape[d];
        }

        var groups = Enumerable.Range(0, outputLength).Select(_ => new List<double>()).ToArray();
        var index = new int[shape.Length];
        for (var i = 0; i < input.Length; i++)
        {
            var rest = i;
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }

            var o = 0;
            for (var d = 0; d < shape.Length; d++)
            {
                o = axes.Contains(d) ? o : (o * shape[d]) + index[d];
            }

            groups[o].Add(input[i]);
        }

        return groups.Select(g => (float)(kind switch
        {
            ReductionKind.Sum => g.Sum(),
            ReductionKind.Mean => g.Sum() / g.Count,
            ReductionKind.Max => g.Count == 0 ? double.NegativeInfinity : g.Aggregate(double.NegativeInfinity, Math.Max),
            ReductionKind.Min => g.Count == 0 ? double.PositiveInfinity : g.Aggregate(double.PositiveInfinity, Math.Min),
            ReductionKind.Prod => g.Aggregate(1.0, (p, v) => p * v),
            ReductionKind.L1 => g.Sum(Math.Abs),
            ReductionKind.L2 => Math.Sqrt(g.Sum(v => v * v)),
            ReductionKind.LogSum => Math.Log(g.Sum()),
            ReductionKind.LogSumExp => Math.Log(g.Sum(Math.Exp)),
            ReductionKind.SumSquare => g.Sum(v => v * v),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        })).ToArray();
    }

    /// <summary>
    /// y = x * scale[o] + shift[o], where o is the output element x reduces into: normalisation over the same axes
    /// (MeanVarianceNormalization) with the statistics this plan computed.
    /// </summary>
    public void ApplyPerOutput(ReadOnlySpan<float> input, Span<float> destination, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, SimdLevel level)
    {
        if (InputLength == 0)
        {
            return;
        }

        var last = sizes.Length - 1;
        var length = sizes[last];
        var rows = InputLength / length;
        Span<int> index = stackalloc int[sizes.Length];
        index.Clear();
        var outputOffset = 0;
        for (var r = 0; r < rows; r++)
        {
            var source = input.Slice(r * length, length);
            var target = destination.Slice(r * length, length);
            if (reduced[last])
            {
                UnaryKernel.Apply(source, target, new UnaryFunction(UnaryKind.Affine, scale[outputOffset], shift[outputOffset]), level);
            }
            else
            {
                for (var i = 0; i < length; i++)
                {
                    target[i] = (source[i] * scale[outputOffset + i]) + shift[outputOffset + i];
                }
            }

            outputOffset = Advance(index, outputOffset);
        }
    }

    private int Advance(Span<int> index, int outputOffset)
    {
        for (var d = sizes.Length - 2; d >= 0; d--)
        {
            outputOffset += outputStrides[d];
            if (++index[d] < sizes[d])
            {
                return outputOffset;
            }

            outputOffset -= outputStrides[d] * sizes[d];
            index[d] = 0;
        }

        return outputOffset;
    }

    private void Run<TMap, TCombine>(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> shift, SimdLevel level)
        where TMap : IElementMap
        where TCombine : IAssociativeOperator
    {
        if (TMap.ReadsShift && shift.Length < output.Length)
        {
            throw new ArgumentException("A shifted map needs one shift per output element.", nameof(shift));
        }

        output.Fill(TCombine.Identity);
        if (InputLength == 0)
        {
            return;
        }

        switch (SimdCapabilities.Require(level))
        {
            case SimdLevel.Vector512: Walk<Vector512<float>, Width512, TMap, TCombine>(input, output, shift, vector: true); break;
            case SimdLevel.Vector256: Walk<Vector256<float>, Width256, TMap, TCombine>(input, output, shift, vector: true); break;
            case SimdLevel.Vector128: Walk<Vector128<float>, Width128, TMap, TCombine>(input, output, shift, vector: true); break;
            default: Walk<Vector128<float>, Width128, TMap, TCombine>(input, output, shift, vector: false); break;
        }
    }

    private void Walk<TVector, TWidth, TMap, TCombine>(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> shift, bool vector)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TMap : IElementMap
        where TCombine : IAssociativeOperator
    {
        var last = sizes.Length - 1;
        var length = sizes[last];
        var rows = InputLength / length;
        var horizontal = reduced[last];
        Span<int> index = stackalloc int[sizes.Length];
        index.Clear();
        var outputOffset = 0;
        for (var r = 0; r < rows; r++)
        {
            var row = input.Slice(r * length, length);
            if (horizontal)
            {
                var s = TMap.ReadsShift ? shift[outputOffset] : 0f;
                var value = vector ? RowReduction.Horizontal<TVector, TWidth, TMap, TCombine>(row, s) : RowReduction.HorizontalScalar<TMap, TCombine>(row, s);
                output[outputOffset] = TCombine.Invoke(output[outputOffset], value);
            }
            else
            {
                var shiftRow = TMap.ReadsShift ? shift.Slice(outputOffset, length) : shift;
                Vertical<TVector, TWidth, TMap, TCombine>(row, output.Slice(outputOffset, length), shiftRow, vector);
            }

            outputOffset = Advance(index, outputOffset);
        }
    }

    private static void Vertical<TVector, TWidth, TMap, TCombine>(ReadOnlySpan<float> row, Span<float> accumulator, ReadOnlySpan<float> shift, bool vector)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TMap : IElementMap
        where TCombine : IAssociativeOperator
    {
        var i = 0;
        if (vector)
        {
            ref var x = ref MemoryMarshal.GetReference(row);
            ref var a = ref MemoryMarshal.GetReference(accumulator);
            ref var s = ref MemoryMarshal.GetReference(shift);
            var count = TWidth.Count;
            for (; i + count <= row.Length; i += count)
            {
                var sv = TMap.ReadsShift ? TWidth.Load(ref s, (nuint)i) : TWidth.Zero;
                var folded = RowReduction.Fold<TVector, TWidth, TMap, TCombine>(TWidth.Load(ref a, (nuint)i), TWidth.Load(ref x, (nuint)i), sv);
                TWidth.Store(folded, ref a, (nuint)i);
            }
        }

        for (; i < row.Length; i++)
        {
            accumulator[i] = TCombine.Invoke(accumulator[i], TMap.Map(row[i], TMap.ReadsShift ? shift[i] : 0f));
        }
    }
}
