using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using ConvService.Inference.Operators.Activations;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// The two data transforms of Winograd F(2x2, 3x3), vectorised across consecutive tiles. Tile t of the flattened
/// tile grid reads its 4x4 patch element e at <c>t + taps[e]</c> of the stride-2 phase layout, so Count tiles are
/// one contiguous load per element at every width, whatever the image width (the grid's junk column included).
/// </summary>
internal static unsafe class WinogradTransforms
{
    public const int Elements = 16;

    /// <summary>G (4x3), which makes the transformed weights U = G g G^T.</summary>
    public static readonly double[,] G = { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } };

    /// <summary>
    /// V = B^T d B for tiles [t, t + Count) of one channel: element e lands at <paramref name="dest"/> + e *
    /// <paramref name="elementStride"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<TVector, TWidth>(float* source, int* taps, float* dest, long elementStride)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        // Rows first: w[r][c] = (d B)[r][c] with B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
        TVector w00, w01, w02, w03, w10, w11, w12, w13, w20, w21, w22, w23, w30, w31, w32, w33;
        RowTransform<TVector, TWidth>(source, taps, 0, out w00, out w01, out w02, out w03);
        RowTransform<TVector, TWidth>(source, taps, 4, out w10, out w11, out w12, out w13);
        RowTransform<TVector, TWidth>(source, taps, 8, out w20, out w21, out w22, out w23);
        RowTransform<TVector, TWidth>(source, taps, 12, out w30, out w31, out w32, out w33);
        ColumnTransform<TVector, TWidth>(w00, w10, w20, w30, dest, 0, elementStride);
        ColumnTransform<TVector, TWidth>(w01, w11, w21, w31, dest, 1, elementStride);
        ColumnTransform<TVector, TWidth>(w02, w12, w22, w32, dest, 2, elementStride);
        ColumnTransform<TVector, TWidth>(w03, w13, w23, w33, dest, 3, elementStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowTransform<TVector, TWidth>(float* source, int* taps, int first, out TVector c0, out TVector c1, out TVector c2, out TVector c3)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var d0 = TWidth.Load(ref *(source + taps[first]), 0);
        var d1 = TWidth.Load(ref *(source + taps[first + 1]), 0);
        var d2 = TWidth.Load(ref *(source + taps[first + 2]), 0);
        var d3 = TWidth.Load(ref *(source + taps[first + 3]), 0);
        c0 = TWidth.Subtract(d0, d2);
        c1 = TWidth.Add(d1, d2);
        c2 = TWidth.Subtract(d2, d1);
        c3 = TWidth.Subtract(d1, d3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnTransform<TVector, TWidth>(TVector r0, TVector r1, TVector r2, TVector r3, float* dest, int column, long elementStride)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        TWidth.Store(TWidth.Subtract(r0, r2), ref *(dest + (0 * 4 + column) * elementStride), 0);
        TWidth.Store(TWidth.Add(r1, r2), ref *(dest + (1 * 4 + column) * elementStride), 0);
        TWidth.Store(TWidth.Subtract(r2, r1), ref *(dest + (2 * 4 + column) * elementStride), 0);
        TWidth.Store(TWidth.Subtract(r1, r3), ref *(dest + (3 * 4 + column) * elementStride), 0);
    }

    /// <summary>The scalar definition of <see cref="Input{TVector, TWidth}"/>, one tile.</summary>
    public static void InputScalar(float* source, int* taps, float* dest, long elementStride)
    {
        var t = stackalloc float[Elements];
        for (var r = 0; r < 4; r++)
        {
            float d0 = source[taps[r * 4]], d1 = source[taps[r * 4 + 1]], d2 = source[taps[r * 4 + 2]], d3 = source[taps[r * 4 + 3]];
            t[r * 4 + 0] = d0 - d2;
            t[r * 4 + 1] = d1 + d2;
            t[r * 4 + 2] = d2 - d1;
            t[r * 4 + 3] = d1 - d3;
        }

        for (var c = 0; c < 4; c++)
        {
            dest[(0 * 4 + c) * elementStride] = t[0 * 4 + c] - t[2 * 4 + c];
            dest[(1 * 4 + c) * elementStride] = t[1 * 4 + c] + t[2 * 4 + c];
            dest[(2 * 4 + c) * elementStride] = t[2 * 4 + c] - t[1 * 4 + c];
            dest[(3 * 4 + c) * elementStride] = t[1 * 4 + c] - t[3 * 4 + c];
        }
    }

    /// <summary>
    /// Y = A^T m A + bias for tiles [t, t + Count) of one output channel, m's element e at <paramref name="m"/> + e *
    /// <paramref name="elementStride"/>; output (i, j) of each tile goes to <paramref name="y"/> + (2i + j) *
    /// <paramref name="yStride"/>. With <paramref name="activate"/> the activation is applied too (no residual to add first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TVector, TWidth>(float* m, long elementStride, float bias, float* y, int yStride, bool activate, in FusedActivation activation)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        // A^T = [1 1 1 0; 0 1 -1 -1]: s[c] = (A^T m)[0][c], u[c] = (A^T m)[1][c].
        ColumnSums<TVector, TWidth>(m, elementStride, 0, out var s0, out var u0);
        ColumnSums<TVector, TWidth>(m, elementStride, 1, out var s1, out var u1);
        ColumnSums<TVector, TWidth>(m, elementStride, 2, out var s2, out var u2);
        ColumnSums<TVector, TWidth>(m, elementStride, 3, out var s3, out var u3);
        var b = TWidth.Create(bias);
        var y00 = TWidth.Add(TWidth.Add(TWidth.Add(s0, s1), s2), b);
        var y01 = TWidth.Add(TWidth.Subtract(TWidth.Subtract(s1, s2), s3), b);
        var y10 = TWidth.Add(TWidth.Add(TWidth.Add(u0, u1), u2), b);
        var y11 = TWidth.Add(TWidth.Subtract(TWidth.Subtract(u1, u2), u3), b);
        if (activate)
        {
            y00 = ActivationKernel.Apply<TVector, TWidth>(y00, activation);
            y01 = ActivationKernel.Apply<TVector, TWidth>(y01, activation);
            y10 = ActivationKernel.Apply<TVector, TWidth>(y10, activation);
            y11 = ActivationKernel.Apply<TVector, TWidth>(y11, activation);
        }

        TWidth.Store(y00, ref *y, 0);
        TWidth.Store(y01, ref *(y + yStride), 0);
        TWidth.Store(y10, ref *(y + 2 * yStride), 0);
        TWidth.Store(y11, ref *(y + 3 * yStride), 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnSums<TVector, TWidth>(float* m, long elementStride, int column, out TVector top, out TVector bottom)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var m0 = TWidth.Load(ref *(m + (0 * 4 + column) * elementStride), 0);
        var m1 = TWidth.Load(ref *(m + (1 * 4 + column) * elementStride), 0);
        var m2 = TWidth.Load(ref *(m + (2 * 4 + column) * elementStride), 0);
        var m3 = TWidth.Load(ref *(m + (3 * 4 + column) * elementStride), 0);
        top = TWidth.Add(TWidth.Add(m0, m1), m2);
        bottom = TWidth.Subtract(TWidth.Subtract(m1, m2), m3);
    }

    /// <summary>The scalar definition of <see cref="Output{TVector, TWidth}"/>, one tile.</summary>
    public static void OutputScalar(float* m, long elementStride, float bias, float* y, int yStride, bool activate, in FusedActivation activation)
    {
        var s = stackalloc float[4];
        var u = stackalloc float[4];
        for (var c = 0; c < 4; c++)
        {
            float m0 = m[(0 * 4 + c) * elementStride], m1 = m[(1 * 4 + c) * elementStride];
            float m2 = m[(2 * 4 + c) * elementStride], m3 = m[(3 * 4 + c) * elementStride];
            s[c] = m0 + m1 + m2;
            u[c] = m1 - m2 - m3;
        }

        var y00 = s[0] + s[1] + s[2] + bias;
        var y01 = s[1] - s[2] - s[3] + bias;
        var y10 = u[0] + u[1] + u[2] + bias;
        var y11 = u[1] - u[2] - u[3] + bias;
        y[0] = activate ? activation.Apply(y00) : y00;
        y[yStride] = activate ? activation.Apply(y01) : y01;
        y[2 * yStride] = activate ? activation.Apply(y10) : y10;
        y[3 * yStride] = activate ? activation.Apply(y11) : y11;
    }

    /// <summary>
    /// dest[2k] = left[k], dest[2k + 1] = right[k] for k in [0, count): the two columns of consecutive tiles,
    /// side by side in an output row. Whole vectors where the instruction set has a two-register interleave. With a
    /// residual (laid out like dest) each value becomes activation(value + residual) before it is stored, so the
    /// row is written once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Interleave(SimdLevel level, float* left, float* right, float* dest, int count, float* residual, in FusedActivation activation)
    {
        // Each narrower width takes what the wider one left: a 56-wide row is 28 pairs, 16 + 8 + 4. The scalar tail (an
        // activation switch per value) used to take the 12 after the first 16, which cost ResNet-18 3-6% of its time.
        var k = 0;
        if (level == SimdLevel.Vector512 && Avx512F.IsSupported)
        {
            var low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            var high = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
            for (; k + 16 <= count; k += 16)
            {
                var l = Vector512.Load(left + k);
                var r = Vector512.Load(right + k);
                var first = Avx512F.PermuteVar16x32x2(l, low, r);
                var second = Avx512F.PermuteVar16x32x2(l, high, r);
                Store<Vector512<float>, Width512>(first, dest + 2 * k, residual, 2 * k, activation);
                Store<Vector512<float>, Width512>(second, dest + 2 * k + 16, residual, 2 * k + 16, activation);
            }
        }

        if (level >= SimdLevel.Vector256 && Avx.IsSupported)
        {
            for (; k + 8 <= count; k += 8)
            {
                var l = Vector256.Load(left + k);
                var r = Vector256.Load(right + k);
                var lo = Avx.UnpackLow(l, r);
                var hi = Avx.UnpackHigh(l, r);
                var first = Avx.Permute2x128(lo, hi, 0x20);
                var second = Avx.Permute2x128(lo, hi, 0x31);
                Store<Vector256<float>, Width256>(first, dest + 2 * k, residual, 2 * k, activation);
                Store<Vector256<float>, Width256>(second, dest + 2 * k + 8, residual, 2 * k + 8, activation);
            }
        }

        if (level >= SimdLevel.Vector128 && (Sse.IsSupported || AdvSimd.Arm64.IsSupported))
        {
            for (; k + 4 <= count; k += 4)
            {
                var l = Vector128.Load(left + k);
                var r = Vector128.Load(right + k);
                var first = Sse.IsSupported ? Sse.UnpackLow(l, r) : AdvSimd.Arm64.ZipLow(l, r);
                var second = Sse.IsSupported ? Sse.UnpackHigh(l, r) : AdvSimd.Arm64.ZipHigh(l, r);
                Store<Vector128<float>, Width128>(first, dest + 2 * k, residual, 2 * k, activation);
                Store<Vector128<float>, Width128>(second, dest + 2 * k + 4, residual, 2 * k + 4, activation);
            }
        }

        for (; k < count; k++)
        {
            dest[2 * k] = residual == null ? left[k] : activation.Apply(left[k] + residual[2 * k]);
            dest[2 * k + 1] = residual == null ? right[k] : activation.Apply(right[k] + residual[2 * k + 1]);
        }
    }

    /// <summary>Stores interleaved values at <paramref name="dest"/>; with a residual, activation(values + residual[at]) instead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TVector, TWidth>(TVector values, float* dest, float* residual, int at, in FusedActivation activation)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        if (residual != null)
        {
            values = ActivationKernel.Apply<TVector, TWidth>(TWidth.Add(values, TWidth.Load(ref *(residual + at), 0)), activation);
        }

        TWidth.Store(values, ref *dest, 0);
    }
}
