using System.Runtime.Intrinsics;
using ConvService.Inference.Operators.Pairwise;
using ConvService.Inference.Simd;
using static ConvService.Inference.Operators.Pairwise.PairwiseOperators;

namespace ConvService.Inference.Operators.Elementwise;

/// <summary>
/// One contiguous row of a binary operator: each side is either a full row or a single broadcast value.
/// In-place use (destination == a side) is allowed because the drivers load their overlapping last vector first.
/// The kind, the broadcast side and the width are chosen once, before the row loop.
/// </summary>
public static class BinaryRowKernel
{
    public static void Run(BinaryKind kind, ReadOnlySpan<float> a, bool aIsScalar, ReadOnlySpan<float> b, bool bIsScalar, Span<float> destination, SimdLevel level)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        level = SimdCapabilities.Require(level);
        switch (kind)
        {
            case BinaryKind.Add: Run<AddOperator>(a, aIsScalar, b, bIsScalar, destination, level); break;
            case BinaryKind.Sub: Run<SubtractOperator>(a, aIsScalar, b, bIsScalar, destination, level); break;
            case BinaryKind.Mul: Run<MultiplyOperator>(a, aIsScalar, b, bIsScalar, destination, level); break;
            default: Run<DivideOperator>(a, aIsScalar, b, bIsScalar, destination, level); break;
        }
    }

    /// <summary>The scalar definition, from element <paramref name="start"/> on.</summary>
    public static void Scalar(BinaryKind kind, ReadOnlySpan<float> a, bool aIsScalar, ReadOnlySpan<float> b, bool bIsScalar, Span<float> destination, int start = 0)
    {
        for (var i = start; i < destination.Length; i++)
        {
            var x = aIsScalar ? a[0] : a[i];
            var y = bIsScalar ? b[0] : b[i];
            destination[i] = Apply(kind, x, y);
        }
    }

    public static float Apply(BinaryKind kind, float x, float y) => kind switch
    {
        BinaryKind.Add => x + y,
        BinaryKind.Sub => x - y,
        BinaryKind.Mul => x * y,
        _ => x / y,
    };

    private static void Run<TOperator>(ReadOnlySpan<float> a, bool aIsScalar, ReadOnlySpan<float> b, bool bIsScalar, Span<float> destination, SimdLevel level)
        where TOperator : IPairwiseOperator
    {
        if (aIsScalar && bIsScalar)
        {
            destination.Fill(TOperator.Invoke(a[0], b[0]));
            return;
        }

        switch (level)
        {
            case SimdLevel.Vector512:
                Run<Vector512<float>, Width512, TOperator>(a, aIsScalar, b, bIsScalar, destination);
                break;
            case SimdLevel.Vector256:
                Run<Vector256<float>, Width256, TOperator>(a, aIsScalar, b, bIsScalar, destination);
                break;
            case SimdLevel.Vector128:
                Run<Vector128<float>, Width128, TOperator>(a, aIsScalar, b, bIsScalar, destination);
                break;
            default:
                if (aIsScalar)
                {
                    PairwiseDriver.ScalarScalarSpan<TOperator>(a[0], b[..destination.Length], destination);
                }
                else if (bIsScalar)
                {
                    PairwiseDriver.ScalarSpanScalar<TOperator>(a[..destination.Length], b[0], destination);
                }
                else
                {
                    PairwiseDriver.ScalarSpanSpan<TOperator>(a[..destination.Length], b[..destination.Length], destination);
                }

                break;
        }
    }

    private static void Run<TVector, TWidth, TOperator>(ReadOnlySpan<float> a, bool aIsScalar, ReadOnlySpan<float> b, bool bIsScalar, Span<float> destination)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IPairwiseOperator
    {
        // Slicing to the destination's length checks, once, that the unchecked vector loads stay inside each row.
        if (aIsScalar)
        {
            PairwiseDriver.ScalarSpan<TVector, TWidth, TOperator>(a[0], b[..destination.Length], destination);
        }
        else if (bIsScalar)
        {
            PairwiseDriver.SpanScalar<TVector, TWidth, TOperator>(a[..destination.Length], b[0], destination);
        }
        else
        {
            PairwiseDriver.SpanSpan<TVector, TWidth, TOperator>(a[..destination.Length], b[..destination.Length], destination);
        }
    }
}
