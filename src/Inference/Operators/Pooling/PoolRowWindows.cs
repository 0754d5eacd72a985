using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvService.Inference.Operators.Pairwise;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// The horizontal half of a pooling window, vectorised for strides 1 and 2 over the interior columns (windows
/// entirely inside the row). Stride 2 gathers each kernel tap's every other element with one two-source permute
/// and combines the gathered vectors, so each output lane costs one combine per tap. Border columns and other
/// strides are left to the caller's scalar path.
/// </summary>
internal static class PoolRowWindows
{
    /// <summary>
    /// Output columns [first, end) whose windows lie entirely inside the row.
    /// </summary>
    public static (int First, int End) Interior(in PoolGeometry g, int dilation)
    {
        var first = Math.Min(g.OutWidth, (g.PadLeft + g.StrideW - 1) / g.StrideW);
        var room = g.InWidth - 1 - (g.KernelWidth - 1) * dilation + g.PadLeft;
        var end = room < 0 ? 0 : Math.Min(g.OutWidth, room / g.StrideW + 1);
        return (first, end);
    }

    /// <summary>
    /// Writes the interior columns [first, end) of <paramref name="output"/> when a vector path applies and
    /// returns end; returns first when nothing was written. Each window is folded with <typeparamref name="TCombine"/>
    /// and its output is <typeparamref name="TFinish"/>(combined, divisor).
    /// </summary>
    public static int Reduce<TCombine, TFinish>(ReadOnlySpan<float> row, Span<float> output, in PoolGeometry g, int dilation, int first, int end, float divisor, SimdLevel level)
        where TCombine : IAssociativeOperator
        where TFinish : IPairwiseOperator
    {
        var count = end - first;
        var stride = g.StrideW;
        if (level == SimdLevel.Vector512 && count >= Vector512<float>.Count && (stride == 1 || (stride == 2 && Avx512F.IsSupported)))
        {
            return Path<Vector512<float>, Width512, TCombine, TFinish>(row, output, g, dilation, first, end, divisor);
        }

        if (level >= SimdLevel.Vector256 && count >= Vector256<float>.Count && (stride == 1 || (stride == 2 && Avx2.IsSupported)))
        {
            return Path<Vector256<float>, Width256, TCombine, TFinish>(row, output, g, dilation, first, end, divisor);
        }

        if (level >= SimdLevel.Vector128 && count >= Vector128<float>.Count && stride <= 2)
        {
            return Path<Vector128<float>, Width128, TCombine, TFinish>(row, output, g, dilation, first, end, divisor);
        }

        return first;
    }

    /// <summary>Columns [first, end) at one width (at least one vector of them); the last block overlaps the one before.</summary>
    private static int Path<TVector, TWidth, TCombine, TFinish>(ReadOnlySpan<float> row, Span<float> output, in PoolGeometry g, int dilation, int first, int end, float divisor)
        where TVector : struct
        where TWidth : IWidth<TVector>
        where TCombine : IAssociativeOperator
        where TFinish : IPairwiseOperator
    {
        int stride = g.StrideW, kernel = g.KernelWidth, padLeft = g.PadLeft;
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var d = ref MemoryMarshal.GetReference(output);
        var scale = TWidth.Create(divisor);
        var last = end - TWidth.Count;
        for (var x = first; ; x += TWidth.Count)
        {
            x = Math.Min(x, last);
            var start = x * stride - padLeft;
            TVector result;
            if (stride == 1)
            {
                result = TWidth.Load(ref r, (nuint)start);
                for (var k = 1; k < kernel; k++)
                {
                    result = TCombine.Invoke<TVector, TWidth>(result, TWidth.Load(ref r, (nuint)(start + k * dilation)));
                }
            }
            else
            {
                result = Evens<TVector>(ref r, start);
                for (var k = 1; k < kernel; k++)
                {
                    result = TCombine.Invoke<TVector, TWidth>(result, Evens<TVector>(ref r, start + k * dilation));
                }
            }

            TWidth.Store(TFinish.Invoke<TVector, TWidth>(result, scale), ref d, (nuint)x);
            if (x == last)
            {
                return end;
            }
        }
    }

    /// <summary>
    /// Every other element from start: the one step that needs each instruction set's own permute. The type tests
    /// are constants to the JIT, so each instantiation keeps only its branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Evens<TVector>(ref float r, int start)
        where TVector : struct
    {
        if (typeof(TVector) == typeof(Vector512<float>))
        {
            var evens = Evens512(ref r, start);
            return Unsafe.As<Vector512<float>, TVector>(ref evens);
        }

        if (typeof(TVector) == typeof(Vector256<float>))
        {
            var evens = Evens256(ref r, start);
            return Unsafe.As<Vector256<float>, TVector>(ref evens);
        }

        if (typeof(TVector) == typeof(Vector128<float>))
        {
            var evens = Evens128(ref r, start);
            return Unsafe.As<Vector128<float>, TVector>(ref evens);
        }

        throw new PlatformNotSupportedException($"No stride-2 gather for {typeof(TVector).Name}.");
    }

    /// <summary>
    /// Elements start, start+2, ..., start+30. The upper half is loaded from start+15 and its odd lanes kept, so
    /// nothing past start+30 is read and the last window of a row needs no scalar fallback.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Evens512(ref float r, int start)
    {
        var picks = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 17, 19, 21, 23, 25, 27, 29, 31);
        return Avx512F.PermuteVar16x32x2(Vector512.LoadUnsafe(ref r, (nuint)start), picks, Vector512.LoadUnsafe(ref r, (nuint)(start + 15)));
    }

    /// <summary>Elements start, start+2, ..., start+14, reading nothing past start+14 (see <see cref="Evens512"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Evens256(ref float r, int start)
    {
        // Per 128-bit lane [l0 l2 h1 h3 | l4 l6 h5 h7], then the 64-bit pairs reordered to l0..l6 h1..h7.
        var paired = Avx.Shuffle(Vector256.LoadUnsafe(ref r, (nuint)start), Vector256.LoadUnsafe(ref r, (nuint)(start + 7)), 0b11_01_10_00);
        return Avx2.Permute4x64(paired.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>
    /// Elements start, start+2, start+4, start+6, reading nothing past start+6. Written with the portable shuffles
    /// (constant indices) so x86 runs the very code ARM64 runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Evens128(ref float r, int start)
    {
        var low = Vector128.Shuffle(Vector128.LoadUnsafe(ref r, (nuint)start), Vector128.Create(0, 2, 0, 2));
        var high = Vector128.Shuffle(Vector128.LoadUnsafe(ref r, (nuint)(start + 3)), Vector128.Create(1, 3, 1, 3));
        return Vector128.ConditionalSelect(Vector128.Create(0, 0, -1, -1).AsSingle(), high, low);
    }
}
