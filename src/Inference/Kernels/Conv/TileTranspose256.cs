using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// An 8x8 float transpose in AVX registers (unpacks, in-lane shuffles, then 128-bit lane swaps: 24 operations for 64
/// floats), reading each row from its own offset. The direct channel-vector kernel's AVX2 tiles hold at most 3
/// positions, so a row of output is stored 8 positions at a time from up to 4 tiles; a gather per channel and tile
/// (what it did before) cost more than the tile's arithmetic on a 3x3 layer of 3 input channels.
/// </summary>
internal static unsafe class TileTranspose256
{
    /// <summary>
    /// result[c][j] = source[offsets[j] + c] for j below <paramref name="rows"/>, and 0 for the rows after it (up to
    /// 8), for c in 0..7.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* source, int* offsets, int rows, Vector256<float>* result)
    {
        var r0 = Row(source, offsets, rows, 0);
        var r1 = Row(source, offsets, rows, 1);
        var r2 = Row(source, offsets, rows, 2);
        var r3 = Row(source, offsets, rows, 3);
        var r4 = Row(source, offsets, rows, 4);
        var r5 = Row(source, offsets, rows, 5);
        var r6 = Row(source, offsets, rows, 6);
        var r7 = Row(source, offsets, rows, 7);

        // Within each 128-bit lane L, e_k of four rows holds their element 4L + k.
        Four(r0, r1, r2, r3, out var a0, out var a1, out var a2, out var a3);
        Four(r4, r5, r6, r7, out var b0, out var b1, out var b2, out var b3);

        // Element k of rows 0-3 and 4-7 from the low lanes, element 4 + k from the high ones.
        result[0] = Avx.Permute2x128(a0, b0, 0x20);
        result[4] = Avx.Permute2x128(a0, b0, 0x31);
        result[1] = Avx.Permute2x128(a1, b1, 0x20);
        result[5] = Avx.Permute2x128(a1, b1, 0x31);
        result[2] = Avx.Permute2x128(a2, b2, 0x20);
        result[6] = Avx.Permute2x128(a2, b2, 0x31);
        result[3] = Avx.Permute2x128(a3, b3, 0x20);
        result[7] = Avx.Permute2x128(a3, b3, 0x31);
    }

    /// <summary>The plain definition of <see cref="Transpose"/>, for tests.</summary>
    public static void TransposeScalar(float* source, int* offsets, int rows, float* result)
    {
        for (var c = 0; c < 8; c++)
        {
            for (var j = 0; j < 8; j++)
            {
                result[(c * 8) + j] = j < rows ? source[offsets[j] + c] : 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row(float* source, int* offsets, int rows, int j) =>
        j < rows ? Vector256.Load(source + offsets[j]) : Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Four(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, out Vector256<float> e0, out Vector256<float> e1, out Vector256<float> e2, out Vector256<float> e3)
    {
        var ab0 = Avx.UnpackLow(a, b);
        var ab1 = Avx.UnpackHigh(a, b);
        var cd0 = Avx.UnpackLow(c, d);
        var cd1 = Avx.UnpackHigh(c, d);
        e0 = Avx.Shuffle(ab0, cd0, 0x44);
        e1 = Avx.Shuffle(ab0, cd0, 0xEE);
        e2 = Avx.Shuffle(ab1, cd1, 0x44);
        e3 = Avx.Shuffle(ab1, cd1, 0xEE);
    }
}
