using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pairwise;

/// <summary>
/// The row loops of a two-operand function: span with span, span with one value, one value with span. The last
/// vector overlaps the previous one and is loaded before any store, so the destination may be either operand.
/// </summary>
internal static class PairwiseDriver
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SpanSpan<TVector, TWidth, TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IPairwiseOperator
    {
        var count = TWidth.Count;
        var length = destination.Length;
        if (length < count)
        {
            ScalarSpanSpan<TOperator>(a, b, destination);
            return;
        }

        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        var lastOffset = (nuint)(length - count);
        var last = TOperator.Invoke<TVector, TWidth>(TWidth.Load(ref ra, lastOffset), TWidth.Load(ref rb, lastOffset));
        for (nuint i = 0; i + (nuint)count <= (nuint)length; i += (nuint)count)
        {
            TWidth.Store(TOperator.Invoke<TVector, TWidth>(TWidth.Load(ref ra, i), TWidth.Load(ref rb, i)), ref rd, i);
        }

        TWidth.Store(last, ref rd, lastOffset);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SpanScalar<TVector, TWidth, TOperator>(ReadOnlySpan<float> a, float b, Span<float> destination)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IPairwiseOperator
    {
        var count = TWidth.Count;
        var length = destination.Length;
        if (length < count)
        {
            ScalarSpanScalar<TOperator>(a, b, destination);
            return;
        }

        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        var vb = TWidth.Create(b);
        var lastOffset = (nuint)(length - count);
        var last = TOperator.Invoke<TVector, TWidth>(TWidth.Load(ref ra, lastOffset), vb);
        for (nuint i = 0; i + (nuint)count <= (nuint)length; i += (nuint)count)
        {
            TWidth.Store(TOperator.Invoke<TVector, TWidth>(TWidth.Load(ref ra, i), vb), ref rd, i);
        }

        TWidth.Store(last, ref rd, lastOffset);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScalarSpan<TVector, TWidth, TOperator>(float a, ReadOnlySpan<float> b, Span<float> destination)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : IPairwiseOperator
    {
        var count = TWidth.Count;
        var length = destination.Length;
        if (length < count)
        {
            ScalarScalarSpan<TOperator>(a, b, destination);
            return;
        }

        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        var va = TWidth.Create(a);
        var lastOffset = (nuint)(length - count);
        var last = TOperator.Invoke<TVector, TWidth>(va, TWidth.Load(ref rb, lastOffset));
        for (nuint i = 0; i + (nuint)count <= (nuint)length; i += (nuint)count)
        {
            TWidth.Store(TOperator.Invoke<TVector, TWidth>(va, TWidth.Load(ref rb, i)), ref rd, i);
        }

        TWidth.Store(last, ref rd, lastOffset);
    }

    public static void ScalarSpanSpan<TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
        where TOperator : IPairwiseOperator
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TOperator.Invoke(a[i], b[i]);
        }
    }

    public static void ScalarSpanScalar<TOperator>(ReadOnlySpan<float> a, float b, Span<float> destination)
        where TOperator : IPairwiseOperator
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TOperator.Invoke(a[i], b);
        }
    }

    public static void ScalarScalarSpan<TOperator>(float a, ReadOnlySpan<float> b, Span<float> destination)
        where TOperator : IPairwiseOperator
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TOperator.Invoke(a, b[i]);
        }
    }
}
