using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;
using static ConvService.Inference.Operators.Pairwise.PairwiseOperators;

namespace ConvService.Inference.Operators.Pairwise;

/// <summary>
/// Two operands broadcast (numpy rules) to an output shape, prepared once: size-1 dimensions dropped and
/// neighbours merged, so the work is outer rows of one contiguous inner run, each span-with-span, span-with-value
/// or value-with-span. The output shape may be larger than either operand's broadcast (Sum over three inputs).
/// </summary>
public sealed class BroadcastLayout
{
    private readonly int[] outerSizes;
    private readonly int[] outerStridesA;
    private readonly int[] outerStridesB;
    private readonly int rowLength;
    private readonly int rowStepA;
    private readonly int rowStepB;
    private readonly int rows;

    private BroadcastLayout(int[] outerSizes, int[] outerStridesA, int[] outerStridesB, int rowLength, int rowStepA, int rowStepB, int elements, int lengthA, int lengthB)
    {
        this.outerSizes = outerSizes;
        this.outerStridesA = outerStridesA;
        this.outerStridesB = outerStridesB;
        this.rowLength = rowLength;
        this.rowStepA = rowStepA;
        this.rowStepB = rowStepB;
        Elements = elements;
        LengthA = lengthA;
        LengthB = lengthB;
        rows = rowLength == 0 ? 0 : elements / rowLength;
    }

    public int Elements { get; }

    public int LengthA { get; }

    public int LengthB { get; }

    /// <summary>The numpy broadcast of several shapes, or null when they are incompatible.</summary>
    public static int[]? BroadcastShape(params int[][] shapes)
    {
        var rank = shapes.Max(s => s.Length);
        var result = Enumerable.Repeat(1, rank).ToArray();
        foreach (var shape in shapes)
        {
            for (var i = 0; i < shape.Length; i++)
            {
                var d = shape[i];
                var r = rank - shape.Length + i;
                if (d != result[r] && d != 1 && result[r] != 1)
                {
                    return null;
                }

                result[r] = result[r] == 1 ? d : result[r];
            }
        }

        return result;
    }

    /// <summary>Null when an operand does not broadcast to <paramref name="output"/>.</summary>
    public static BroadcastLayout? Create(int[] a, int[] b, int[] output)
    {
        var rank = output.Length;
        if (a.Length > rank || b.Length > rank)
        {
            return null;
        }

        var stridesA = Strides(a, output);
        var stridesB = Strides(b, output);
        if (stridesA is null || stridesB is null)
        {
            return null;
        }

        // Drop size-1 output dimensions, then merge neighbours whose strides continue one another in both operands.
        var sizes = new List<int>();
        var sa = new List<int>();
        var sb = new List<int>();
        for (var d = 0; d < rank; d++)
        {
            if (output[d] == 1)
            {
                continue;
            }

            var last = sizes.Count - 1;
            if (last >= 0 && sa[last] == stridesA[d] * output[d] && sb[last] == stridesB[d] * output[d])
            {
                sizes[last] *= output[d];
                sa[last] = stridesA[d];
                sb[last] = stridesB[d];
                continue;
            }

            sizes.Add(output[d]);
            sa.Add(stridesA[d]);
            sb.Add(stridesB[d]);
        }

        var elements = output.Aggregate(1, (p, d) => p * d);
        var lengthA = a.Aggregate(1, (p, d) => p * d);
        var lengthB = b.Aggregate(1, (p, d) => p * d);
        if (sizes.Count == 0)
        {
            return new BroadcastLayout([], [], [], elements, elements == 0 ? 0 : 1, elements == 0 ? 0 : 1, elements, lengthA, lengthB);
        }

        var n = sizes.Count - 1;
        return new BroadcastLayout([.. sizes[..n]], [.. sa[..n]], [.. sb[..n]], sizes[n], sa[n], sb[n], elements, lengthA, lengthB);
    }

    public void Execute(PairwiseKind kind, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, SimdLevel level)
    {
        if (a.Length < LengthA || b.Length < LengthB || destination.Length < Elements)
        {
            throw new ArgumentException("An operand is shorter than its shape.");
        }

        switch (kind)
        {
            case PairwiseKind.Add: Dispatch<AddOperator>(a, b, destination, level); break;
            case PairwiseKind.Min: Dispatch<MinOperator>(a, b, destination, level); break;
            case PairwiseKind.Max: Dispatch<MaxOperator>(a, b, destination, level); break;
            case PairwiseKind.Pow: Dispatch<PowOperator>(a, b, destination, level); break;
            case PairwiseKind.PRelu: Dispatch<PReluOperator>(a, b, destination, level); break;
            case PairwiseKind.Mod: Dispatch<ModOperator>(a, b, destination, level); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown operation");
        }
    }

    /// <summary>The index-by-index definition: every output element from its two broadcast sources.</summary>
    public static float[] Reference(PairwiseKind kind, int[] aShape, float[] a, int[] bShape, float[] b, int[] output)
    {
        var stridesA = Strides(aShape, output)!;
        var stridesB = Strides(bShape, output)!;
        var result = new float[output.Aggregate(1, (p, d) => p * d)];
        var index = new int[output.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var rest = i;
            int ia = 0, ib = 0;
            for (var d = output.Length - 1; d >= 0; d--)
            {
                index[d] = rest % output[d];
                rest /= output[d];
                ia += index[d] * stridesA[d];
                ib += index[d] * stridesB[d];
            }

            float x = a[ia], y = b[ib];
            result[i] = kind switch
            {
                PairwiseKind.Add => x + y,
                PairwiseKind.Min => MathF.Min(x, y),
                PairwiseKind.Max => MathF.Max(x, y),
                PairwiseKind.Pow => MathF.Pow(x, y),
                PairwiseKind.PRelu => x < 0f ? x * y : x,
                PairwiseKind.Mod => TruncatedRemainder(x, y),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }

        return result;
    }

    /// <summary>
    /// fmod from the round-to-nearest remainder, which is exact in double: moved by one divisor towards the
    /// dividend's sign where it has the other sign, and a zero carrying the dividend's sign.
    /// </summary>
    private static float TruncatedRemainder(float x, float y)
    {
        var r = Math.IEEERemainder(x, y);
        if (double.IsNaN(r))
        {
            return float.NaN;
        }

        if (r == 0)
        {
            return MathF.CopySign(0f, x);
        }

        return (float)(Math.Sign(r) == Math.Sign(x) ? r : r + (Math.Sign(x) * Math.Abs((double)y)));
    }

    /// <summary>Each operand's element stride per output dimension (0 where it broadcasts), or null if it cannot.</summary>
    private static int[]? Strides(int[] shape, int[] output)
    {
        var strides = new int[output.Length];
        var stride = 1;
        for (var d = output.Length - 1; d >= 0; d--)
        {
            var i = d - (output.Length - shape.Length);
            var size = i >= 0 ? shape[i] : 1;
            if (size != output[d] && size != 1)
            {
                return null;
            }

            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }

        return strides;
    }

    private void Dispatch<TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, SimdLevel level)
        where TOperator : IPairwiseOperator
    {
        level = TOperator.Vectorised ? SimdCapabilities.Require(level) : SimdLevel.Scalar;
        switch (level)
        {
            case SimdLevel.Vector512: Rows<Vector512<float>, Width512, TOperator>(a, b, destination, vector: true); break;
            case SimdLevel.Vector256: Rows<Vector256<float>, Width256, TOperator>(a, b, destination, vector: true); break;
            case SimdLevel.Vector128: Rows<Vector128<float>, Width128, TOperator>(a, b, destination, vector: true); break;
            default: Rows<Vector128<float>, Width128, TOperator>(a, b, destination, vector: false); break;
        }
    }

    private void Rows<TVector, TWidth, TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, bool vector)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IPairwiseOperator
    {
        var rank = outerSizes.Length;
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        index.Clear();
        int offsetA = 0, offsetB = 0;
        var length = rowLength;
        for (var r = 0; r < rows; r++)
        {
            var row = destination.Slice(r * length, length);
            if (rowStepA != 0 && rowStepB != 0)
            {
                if (vector)
                {
                    PairwiseDriver.SpanSpan<TVector, TWidth, TOperator>(a.Slice(offsetA, length), b.Slice(offsetB, length), row);
                }
                else
                {
                    PairwiseDriver.ScalarSpanSpan<TOperator>(a.Slice(offsetA, length), b.Slice(offsetB, length), row);
                }
            }
            else if (rowStepA != 0)
            {
                if (vector)
                {
                    PairwiseDriver.SpanScalar<TVector, TWidth, TOperator>(a.Slice(offsetA, length), b[offsetB], row);
                }
                else
                {
                    PairwiseDriver.ScalarSpanScalar<TOperator>(a.Slice(offsetA, length), b[offsetB], row);
                }
            }
            else if (rowStepB != 0)
            {
                if (vector)
                {
                    PairwiseDriver.ScalarSpan<TVector, TWidth, TOperator>(a[offsetA], b.Slice(offsetB, length), row);
                }
                else
                {
                    PairwiseDriver.ScalarScalarSpan<TOperator>(a[offsetA], b.Slice(offsetB, length), row);
                }
            }
            else
            {
                row.Fill(TOperator.Invoke(a[offsetA], b[offsetB]));
            }

            for (var d = rank - 1; d >= 0; d--)
            {
                offsetA += outerStridesA[d];
                offsetB += outerStridesB[d];
                if (++index[d] < outerSizes[d])
                {
                    break;
                }

                offsetA -= outerStridesA[d] * outerSizes[d];
                offsetB -= outerStridesB[d] * outerSizes[d];
                index[d] = 0;
            }
        }
    }
}
