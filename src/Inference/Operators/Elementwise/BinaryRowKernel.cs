using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Inference.Operators.Elementwise;

/// <summary>
/// One contiguous row of a binary operator: each side is either a full row or a single broadcast value.
/// In-place use (destination == a side) is allowed because every element is read before it is written.
/// </summary>
public static class BinaryRowKernel
{
    public static void Run(BinaryKind kind, ReadOnlySpan<float> a, bool aIsScalar, ReadOnlySpan<float> b, bool bIsScalar, Span<float> destination, SimdLevel level)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        var done = 0;
        level = SimdCapabilities.Require(level);
        if (level == SimdLevel.Vector512)
        {
            done = Vector512Path(kind, a, aIsScalar, b, bIsScalar, destination);
        }
        else if (level == SimdLevel.Vector256)
        {
            done = Vector256Path(kind, a, aIsScalar, b, bIsScalar, destination);
        }

        Scalar(kind, a, aIsScalar, b, bIsScalar, destination, done);
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

    private static int Vector512Path(BinaryKind kind, ReadOnlySpan<float> a, bool aIsScalar, ReadOnlySpan<float> b, bool bIsScalar, Span<float> destination)
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        var sa = Vector512.Create(a[0]);
        var sb = Vector512.Create(b[0]);
        var i = 0;
        for (; i <= destination.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var x = aIsScalar ? sa : Vector512.LoadUnsafe(ref ra, (nuint)i);
            var y = bIsScalar ? sb : Vector512.LoadUnsafe(ref rb, (nuint)i);
            var r = kind switch
            {
                BinaryKind.Add => x + y,
                BinaryKind.Sub => x - y,
                BinaryKind.Mul => x * y,
                _ => x / y,
            };
            r.StoreUnsafe(ref rd, (nuint)i);
        }

        return i;
    }

    private static int Vector256Path(BinaryKind kind, ReadOnlySpan<float> a, bool aIsScalar, ReadOnlySpan<float> b, bool bIsScalar, Span<float> destination)
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        var sa = Vector256.Create(a[0]);
        var sb = Vector256.Create(b[0]);
        var i = 0;
        for (; i <= destination.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var x = aIsScalar ? sa : Vector256.LoadUnsafe(ref ra, (nuint)i);
            var y = bIsScalar ? sb : Vector256.LoadUnsafe(ref rb, (nuint)i);
            var r = kind switch
            {
                BinaryKind.Add => x + y,
                BinaryKind.Sub => x - y,
                BinaryKind.Mul => x * y,
                _ => x / y,
            };
            r.StoreUnsafe(ref rd, (nuint)i);
        }

        return i;
    }
}
