using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pairwise;

/// <summary>
/// The row loops of a two-operand function: span with span, span with one value, one value with span. One loop
/// serves all three, each operand read through its <see cref="IOperandShape"/>. The last vector overlaps the
/// previous one and is loaded before any store, so the destination may be either operand.
/// </summary>
internal static class PairwiseDriver
{
    public static void SpanSpan<TVector, TWidth, TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IPairwiseOperator =>
        Path<TVector, TWidth, TOperator, SpanOperand, SpanOperand>(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), destination);

    public static void SpanScalar<TVector, TWidth, TOperator>(ReadOnlySpan<float> a, float b, Span<float> destination)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IPairwiseOperator =>
        Path<TVector, TWidth, TOperator, SpanOperand, BroadcastOperand>(ref MemoryMarshal.GetReference(a), ref b, destination);

    public static void ScalarSpan<TVector, TWidth, TOperator>(float a, ReadOnlySpan<float> b, Span<float> destination)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IPairwiseOperator =>
        Path<TVector, TWidth, TOperator, BroadcastOperand, SpanOperand>(ref a, ref MemoryMarshal.GetReference(b), destination);

    public static void ScalarSpanSpan<TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
        where TOperator : IPairwiseOperator =>
        Scalar<TOperator, SpanOperand, SpanOperand>(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), destination);

    public static void ScalarSpanScalar<TOperator>(ReadOnlySpan<float> a, float b, Span<float> destination)
        where TOperator : IPairwiseOperator =>
        Scalar<TOperator, SpanOperand, BroadcastOperand>(ref MemoryMarshal.GetReference(a), ref b, destination);

    public static void ScalarScalarSpan<TOperator>(float a, ReadOnlySpan<float> b, Span<float> destination)
        where TOperator : IPairwiseOperator =>
        Scalar<TOperator, BroadcastOperand, SpanOperand>(ref a, ref MemoryMarshal.GetReference(b), destination);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Path<TVector, TWidth, TOperator, TA, TB>(ref float a, ref float b, Span<float> destination)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IPairwiseOperator
        where TA : IOperandShape
        where TB : IOperandShape
    {
        var count = TWidth.Count;
        var length = destination.Length;
        if (length < count)
        {
            Scalar<TOperator, TA, TB>(ref a, ref b, destination);
            return;
        }

        ref var rd = ref MemoryMarshal.GetReference(destination);
        var va = TA.Splat<TVector, TWidth>(ref a);
        var vb = TB.Splat<TVector, TWidth>(ref b);
        var lastOffset = (nuint)(length - count);
        var last = TOperator.Invoke<TVector, TWidth>(TA.Load<TVector, TWidth>(ref a, lastOffset, va), TB.Load<TVector, TWidth>(ref b, lastOffset, vb));
        for (nuint i = 0; i + (nuint)count <= (nuint)length; i += (nuint)count)
        {
            TWidth.Store(TOperator.Invoke<TVector, TWidth>(TA.Load<TVector, TWidth>(ref a, i, va), TB.Load<TVector, TWidth>(ref b, i, vb)), ref rd, i);
        }

        TWidth.Store(last, ref rd, lastOffset);
    }

    private static void Scalar<TOperator, TA, TB>(ref float a, ref float b, Span<float> destination)
        where TOperator : IPairwiseOperator
        where TA : IOperandShape
        where TB : IOperandShape
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TOperator.Invoke(TA.Element(ref a, i), TB.Element(ref b, i));
        }
    }
}
