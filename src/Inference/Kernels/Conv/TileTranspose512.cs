using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// A 16x16 float transpose in AVX-512 registers: unpacks and shuffles within 128-bit lanes, then two rounds of lane
/// shuffles, 64 operations for 256 floats. The direct channel-vector kernel's tiles are position-major (a position's
/// channels side by side) and its output is channel-major, so each finished tile is turned this way before it is
/// stored; one gather per channel and half-row (what it did before) costs about a cycle per float.
/// </summary>
internal static unsafe class TileTranspose512
{
    /// <summary>
    /// result[c][j] = source[j * stride + c] for j below <paramref name="rows"/>, and 0 for the rows after it
    /// (up to 16), for c in 0..15.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* source, int stride, int rows, Vector512<float>* result)
    {
        var r0 = Row(source, stride, rows, 0);
        var r1 = Row(source, stride, rows, 1);
        var r2 = Row(source, stride, rows, 2);
        var r3 = Row(source, stride, rows, 3);
        var r4 = Row(source, stride, rows, 4);
        var r5 = Row(source, stride, rows, 5);
        var r6 = Row(source, stride, rows, 6);
        var r7 = Row(source, stride, rows, 7);
        var r8 = Row(source, stride, rows, 8);
        var r9 = Row(source, stride, rows, 9);
        var r10 = Row(source, stride, rows, 10);
        var r11 = Row(source, stride, rows, 11);
        var r12 = Row(source, stride, rows, 12);
        var r13 = Row(source, stride, rows, 13);
        var r14 = Row(source, stride, rows, 14);
        var r15 = Row(source, stride, rows, 15);

        // Within each 128-bit lane L, u_k of a group of four rows holds their element 4L + k.
        Four(r0, r1, r2, r3, out var u0, out var u1, out var u2, out var u3);
        Four(r4, r5, r6, r7, out var u4, out var u5, out var u6, out var u7);
        Four(r8, r9, r10, r11, out var u8, out var u9, out var u10, out var u11);
        Four(r12, r13, r14, r15, out var u12, out var u13, out var u14, out var u15);

        // Element k's four groups, then elements 4 + k, 8 + k and 12 + k, from the lanes of u_k with u_(4+k) and of
        // u_(8+k) with u_(12+k).
        Lanes(u0, u4, u8, u12, result, 0);
        Lanes(u1, u5, u9, u13, result, 1);
        Lanes(u2, u6, u10, u14, result, 2);
        Lanes(u3, u7, u11, u15, result, 3);
    }

    /// <summary>The plain definition of <see cref="Transpose"/>, for tests.</summary>
    public static void TransposeScalar(float* source, int stride, int rows, float* result)
    {
        for (var c = 0; c < 16; c++)
        {
            for (var j = 0; j < 16; j++)
            {
                result[(c * 16) + j] = j < rows ? source[(j * stride) + c] : 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* source, int stride, int rows, int j) =>
        j < rows ? Vector512.Load(source + ((long)j * stride)) : Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Four(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, out Vector512<float> e0, out Vector512<float> e1, out Vector512<float> e2, out Vector512<float> e3)
    {
        var ab0 = Avx512F.UnpackLow(a, b);
        var ab1 = Avx512F.UnpackHigh(a, b);
        var cd0 = Avx512F.UnpackLow(c, d);
        var cd1 = Avx512F.UnpackHigh(c, d);
        e0 = Avx512F.Shuffle(ab0, cd0, 0x44);
        e1 = Avx512F.Shuffle(ab0, cd0, 0xEE);
        e2 = Avx512F.Shuffle(ab1, cd1, 0x44);
        e3 = Avx512F.Shuffle(ab1, cd1, 0xEE);
    }

    /// <summary>
    /// From element k of rows 0-3 (<paramref name="low"/>), 4-7, 8-11 and 12-15 in every lane: output rows k, 4 + k,
    /// 8 + k and 12 + k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lanes(Vector512<float> low, Vector512<float> second, Vector512<float> third, Vector512<float> high, Vector512<float>* result, int k)
    {
        var evenLanesFirstHalf = Avx512F.Shuffle4x128(low, second, 0x88);
        var oddLanesFirstHalf = Avx512F.Shuffle4x128(low, second, 0xDD);
        var evenLanesSecondHalf = Avx512F.Shuffle4x128(third, high, 0x88);
        var oddLanesSecondHalf = Avx512F.Shuffle4x128(third, high, 0xDD);
        result[k] = Avx512F.Shuffle4x128(evenLanesFirstHalf, evenLanesSecondHalf, 0x88);
        result[8 + k] = Avx512F.Shuffle4x128(evenLanesFirstHalf, evenLanesSecondHalf, 0xDD);
        result[4 + k] = Avx512F.Shuffle4x128(oddLanesFirstHalf, oddLanesSecondHalf, 0x88);
        result[12 + k] = Avx512F.Shuffle4x128(oddLanesFirstHalf, oddLanesSecondHalf, 0xDD);
    }
}
