using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Unary;

/// <summary>
/// The one loop of every element-wise function: full vectors, then an overlapping last vector loaded before any
/// store (so in-place runs stay correct), then scalars only for spans shorter than one vector.
/// </summary>
internal static class UnaryDriver
{
    public static void Run<TOperator>(ReadOnlySpan<float> source, Span<float> destination, TOperator op, SimdLevel level)
        where TOperator : struct, IUnaryOperator
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than the source.", nameof(destination));
        }

        destination = destination[..source.Length];
        if (!TOperator.Vectorised)
        {
            Scalar(source, destination, op);
            return;
        }

        switch (SimdCapabilities.Require(level))
        {
            case SimdLevel.Vector512:
                Path<Vector512<float>, Width512, TOperator>(source, destination, op);
                break;
            case SimdLevel.Vector256:
                Path<Vector256<float>, Width256, TOperator>(source, destination, op);
                break;
            case SimdLevel.Vector128:
                Path<Vector128<float>, Width128, TOperator>(source, destination, op);
                break;
            default:
                Scalar(source, destination, op);
                break;
        }
    }

    public static void Scalar<TOperator>(ReadOnlySpan<float> source, Span<float> destination, TOperator op)
        where TOperator : struct, IUnaryOperator
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = op.Invoke(source[i]);
        }
    }

    /// <summary>The vector loop at one width; internal so tests can run the 128-bit width too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Path<TVector, TWidth, TOperator>(ReadOnlySpan<float> source, Span<float> destination, TOperator op)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TOperator : struct, IUnaryOperator
    {
        var count = TWidth.Count;
        var length = source.Length;
        if (length < count)
        {
            Scalar(source, destination, op);
            return;
        }

        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var lastOffset = (nuint)(length - count);
        var last = op.Invoke<TVector, TWidth>(TWidth.Load(ref src, lastOffset));
        nuint i = 0;
        for (; i + (nuint)count <= (nuint)length; i += (nuint)count)
        {
            TWidth.Store(op.Invoke<TVector, TWidth>(TWidth.Load(ref src, i)), ref dst, i);
        }

        TWidth.Store(last, ref dst, lastOffset);
    }
}
