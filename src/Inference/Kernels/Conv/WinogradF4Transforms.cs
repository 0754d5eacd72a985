using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvService.Inference.Operators.Activations;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// The two data transforms of Winograd F(4x4, 3x3) (Lavin and Gray's interpolation points 0, +-1, +-2), vectorised
/// across consecutive tiles as <see cref="WinogradTransforms"/> does for F(2x2, 3x3): tile t reads its 6x6 patch
/// element e at <c>t + taps[e]</c> of the stride-4 phase layout. Each 1-D transform is written once and applied to
/// rows, then columns, through a small buffer (36 live vectors would spill anyway); the scalar definitions run the
/// same operations in the same order, so every level gives the scalar bits (a fused Sigmoid or Tanh aside, whose
/// vector and scalar functions differ in the last places).
/// </summary>
internal static unsafe class WinogradF4Transforms
{
    /// <summary>Tile side: outputs per tile row and column.</summary>
    public const int Tile = 4;

    /// <summary>Patch side: inputs per tile row and column.</summary>
    public const int Side = 6;

    public const int Elements = Side * Side;

    /// <summary>
    /// G (6x3), which makes the transformed weights U = G g G^T; with A^T and B^T below it computes a 3x3
    /// correlation of a 6x6 patch exactly in exact arithmetic.
    /// </summary>
    public static readonly double[,] G =
    {
        { 1 / 4.0, 0, 0 },
        { -1 / 6.0, -1 / 6.0, -1 / 6.0 },
        { -1 / 6.0, 1 / 6.0, -1 / 6.0 },
        { 1 / 24.0, 1 / 12.0, 1 / 6.0 },
        { 1 / 24.0, -1 / 12.0, 1 / 6.0 },
        { 0, 0, 1 },
    };

    /// <summary>
    /// V = B^T d B for tiles [t, t + Count) of one channel: element e lands at <paramref name="dest"/> + e *
    /// <paramref name="elementStride"/>. <paramref name="rows"/> holds 36 vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<TVector, TWidth>(float* source, int* taps, float* dest, long elementStride, float* rows)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var count = TWidth.Count;
        for (var r = 0; r < Side; r++)
        {
            var tap = taps + r * Side;
            InputLine<TVector, TWidth>(
                TWidth.Load(ref *(source + tap[0]), 0),
                TWidth.Load(ref *(source + tap[1]), 0),
                TWidth.Load(ref *(source + tap[2]), 0),
                TWidth.Load(ref *(source + tap[3]), 0),
                TWidth.Load(ref *(source + tap[4]), 0),
                TWidth.Load(ref *(source + tap[5]), 0),
                rows + r * Side * count,
                count);
        }

        // Columns: element (i, c) = (B^T w)[i][c], from the row-transformed w[r][c] at rows + (r * 6 + c) * Count.
        for (var c = 0; c < Side; c++)
        {
            var column = rows + c * count;
            var step = Side * count;
            InputLine<TVector, TWidth>(
                TWidth.Load(ref *column, 0),
                TWidth.Load(ref *(column + step), 0),
                TWidth.Load(ref *(column + 2 * step), 0),
                TWidth.Load(ref *(column + 3 * step), 0),
                TWidth.Load(ref *(column + 4 * step), 0),
                TWidth.Load(ref *(column + 5 * step), 0),
                dest + c * elementStride,
                Side * elementStride);
        }
    }

    /// <summary>B^T x, stored as six vectors at <paramref name="dest"/> + k * <paramref name="stride"/> (a row of the buffer, or an element column of V).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputLine<TVector, TWidth>(TVector x0, TVector x1, TVector x2, TVector x3, TVector x4, TVector x5, float* dest, long stride)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        BT<TVector, TWidth>(x0, x1, x2, x3, x4, x5, out var y0, out var y1, out var y2, out var y3, out var y4, out var y5);
        TWidth.Store(y0, ref *dest, 0);
        TWidth.Store(y1, ref *(dest + stride), 0);
        TWidth.Store(y2, ref *(dest + (2 * stride)), 0);
        TWidth.Store(y3, ref *(dest + (3 * stride)), 0);
        TWidth.Store(y4, ref *(dest + (4 * stride)), 0);
        TWidth.Store(y5, ref *(dest + (5 * stride)), 0);
    }

    /// <summary>
    /// B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1], with the
    /// shared sums formed once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BT<TVector, TWidth>(TVector x0, TVector x1, TVector x2, TVector x3, TVector x4, TVector x5, out TVector y0, out TVector y1, out TVector y2, out TVector y3, out TVector y4, out TVector y5)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var four = TWidth.Create(4f);
        var five = TWidth.Create(5f);
        var two = TWidth.Create(2f);
        var a = TWidth.Subtract(x4, TWidth.Multiply(four, x2));
        var b = TWidth.Subtract(x3, TWidth.Multiply(four, x1));
        var c = TWidth.Subtract(x4, x2);
        var d = TWidth.Multiply(two, TWidth.Subtract(x3, x1));
        y0 = TWidth.Add(TWidth.Subtract(TWidth.Multiply(four, x0), TWidth.Multiply(five, x2)), x4);
        y1 = TWidth.Add(a, b);
        y2 = TWidth.Subtract(a, b);
        y3 = TWidth.Add(c, d);
        y4 = TWidth.Subtract(c, d);
        y5 = TWidth.Add(TWidth.Subtract(TWidth.Multiply(four, x1), TWidth.Multiply(five, x3)), x5);
    }

    /// <summary>The scalar definition of <see cref="Input{TVector, TWidth}"/>, one tile.</summary>
    public static void InputScalar(float* source, int* taps, float* dest, long elementStride)
    {
        var w = stackalloc float[Elements];
        var y = stackalloc float[Side];
        for (var r = 0; r < Side; r++)
        {
            var tap = taps + r * Side;
            BTScalar(source[tap[0]], source[tap[1]], source[tap[2]], source[tap[3]], source[tap[4]], source[tap[5]], y);
            for (var k = 0; k < Side; k++)
            {
                w[r * Side + k] = y[k];
            }
        }

        for (var c = 0; c < Side; c++)
        {
            BTScalar(w[c], w[Side + c], w[2 * Side + c], w[3 * Side + c], w[4 * Side + c], w[5 * Side + c], y);
            for (var i = 0; i < Side; i++)
            {
                dest[(i * Side + c) * elementStride] = y[i];
            }
        }
    }

    private static void BTScalar(float x0, float x1, float x2, float x3, float x4, float x5, float* y)
    {
        var a = x4 - 4f * x2;
        var b = x3 - 4f * x1;
        var c = x4 - x2;
        var d = 2f * (x3 - x1);
        y[0] = 4f * x0 - 5f * x2 + x4;
        y[1] = a + b;
        y[2] = a - b;
        y[3] = c + d;
        y[4] = c - d;
        y[5] = 4f * x1 - 5f * x3 + x5;
    }

    /// <summary>
    /// Y = A^T m A + bias for tiles [t, t + Count) of one output channel, m's element e at <paramref name="m"/> + e *
    /// <paramref name="elementStride"/>; output (i, j) of each tile goes to <paramref name="y"/> + (4i + j) *
    /// <paramref name="yStride"/>. With <paramref name="activate"/> the activation is applied too (no residual to add
    /// first). <paramref name="columns"/> holds 24 vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TVector, TWidth>(float* m, long elementStride, float bias, float* y, int yStride, bool activate, in FusedActivation activation, float* columns)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var count = TWidth.Count;

        // Columns first: s[i][c] = (A^T m)[i][c], at columns + (i * 6 + c) * Count.
        for (var c = 0; c < Side; c++)
        {
            var at = m + c * elementStride;
            var step = Side * elementStride;
            AT<TVector, TWidth>(
                TWidth.Load(ref *at, 0),
                TWidth.Load(ref *(at + step), 0),
                TWidth.Load(ref *(at + 2 * step), 0),
                TWidth.Load(ref *(at + 3 * step), 0),
                TWidth.Load(ref *(at + 4 * step), 0),
                TWidth.Load(ref *(at + 5 * step), 0),
                out var s0,
                out var s1,
                out var s2,
                out var s3);
            TWidth.Store(s0, ref *(columns + c * count), 0);
            TWidth.Store(s1, ref *(columns + (Side + c) * count), 0);
            TWidth.Store(s2, ref *(columns + (2 * Side + c) * count), 0);
            TWidth.Store(s3, ref *(columns + (3 * Side + c) * count), 0);
        }

        var b = TWidth.Create(bias);
        for (var i = 0; i < Tile; i++)
        {
            var row = columns + i * Side * count;
            AT<TVector, TWidth>(
                TWidth.Load(ref *row, 0),
                TWidth.Load(ref *(row + count), 0),
                TWidth.Load(ref *(row + 2 * count), 0),
                TWidth.Load(ref *(row + 3 * count), 0),
                TWidth.Load(ref *(row + 4 * count), 0),
                TWidth.Load(ref *(row + 5 * count), 0),
                out var o0,
                out var o1,
                out var o2,
                out var o3);
            o0 = TWidth.Add(o0, b);
            o1 = TWidth.Add(o1, b);
            o2 = TWidth.Add(o2, b);
            o3 = TWidth.Add(o3, b);
            if (activate)
            {
                o0 = ActivationKernel.Apply<TVector, TWidth>(o0, activation);
                o1 = ActivationKernel.Apply<TVector, TWidth>(o1, activation);
                o2 = ActivationKernel.Apply<TVector, TWidth>(o2, activation);
                o3 = ActivationKernel.Apply<TVector, TWidth>(o3, activation);
            }

            var dest = y + (long)Tile * i * yStride;
            TWidth.Store(o0, ref *dest, 0);
            TWidth.Store(o1, ref *(dest + yStride), 0);
            TWidth.Store(o2, ref *(dest + 2 * yStride), 0);
            TWidth.Store(o3, ref *(dest + 3 * yStride), 0);
        }
    }

    /// <summary>A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1], with the shared sums formed once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AT<TVector, TWidth>(TVector x0, TVector x1, TVector x2, TVector x3, TVector x4, TVector x5, out TVector y0, out TVector y1, out TVector y2, out TVector y3)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        var sum12 = TWidth.Add(x1, x2);
        var diff12 = TWidth.Subtract(x1, x2);
        var sum34 = TWidth.Add(x3, x4);
        var diff34 = TWidth.Subtract(x3, x4);
        y0 = TWidth.Add(TWidth.Add(x0, sum12), sum34);
        y1 = TWidth.Add(diff12, TWidth.Multiply(TWidth.Create(2f), diff34));
        y2 = TWidth.Add(sum12, TWidth.Multiply(TWidth.Create(4f), sum34));
        y3 = TWidth.Add(TWidth.Add(diff12, TWidth.Multiply(TWidth.Create(8f), diff34)), x5);
    }

    /// <summary>The scalar definition of <see cref="Output{TVector, TWidth}"/>, one tile.</summary>
    public static void OutputScalar(float* m, long elementStride, float bias, float* y, int yStride, bool activate, in FusedActivation activation)
    {
        var s = stackalloc float[Tile * Side];
        var o = stackalloc float[Tile];
        for (var c = 0; c < Side; c++)
        {
            var at = m + c * elementStride;
            var step = Side * elementStride;
            ATScalar(at[0], at[step], at[2 * step], at[3 * step], at[4 * step], at[5 * step], o);
            for (var i = 0; i < Tile; i++)
            {
                s[i * Side + c] = o[i];
            }
        }

        for (var i = 0; i < Tile; i++)
        {
            var row = s + i * Side;
            ATScalar(row[0], row[1], row[2], row[3], row[4], row[5], o);
            for (var j = 0; j < Tile; j++)
            {
                var value = o[j] + bias;
                y[(Tile * i + j) * yStride] = activate ? activation.Apply(value) : value;
            }
        }
    }

    private static void ATScalar(float x0, float x1, float x2, float x3, float x4, float x5, float* y)
    {
        var sum12 = x1 + x2;
        var diff12 = x1 - x2;
        var sum34 = x3 + x4;
        var diff34 = x3 - x4;
        y[0] = x0 + sum12 + sum34;
        y[1] = diff12 + 2f * diff34;
        y[2] = sum12 + 4f * sum34;
        y[3] = diff12 + 8f * diff34 + x5;
    }

    /// <summary>
    /// One output row segment of <paramref name="tiles"/> 4x4 tiles at AVX-512: dest[4k + j] = plane j[k], plane j at
    /// <paramref name="planes"/> + j * <paramref name="planeStride"/>. Sixteen tiles at a time go through a 4x4
    /// transpose in registers (unpacks and shuffles within 128-bit lanes, then across them) and are stored as four
    /// vectors, with the residual added and the activation applied when there is one; the last, shorter group is
    /// stored under masks. Each plane may be read up to 15 floats past its last tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteRow512(float* planes, long planeStride, int tiles, float* dest, float* residual, in FusedActivation activation)
    {
        for (var k = 0; k < tiles; k += 16)
        {
            var p0 = Vector512.Load(planes + k);
            var p1 = Vector512.Load(planes + planeStride + k);
            var p2 = Vector512.Load(planes + (2 * planeStride) + k);
            var p3 = Vector512.Load(planes + (3 * planeStride) + k);

            // Within each 128-bit lane L: u_r holds tile 4L + r's four columns.
            var t0 = Avx512F.UnpackLow(p0, p1);
            var t1 = Avx512F.UnpackHigh(p0, p1);
            var t2 = Avx512F.UnpackLow(p2, p3);
            var t3 = Avx512F.UnpackHigh(p2, p3);
            var u0 = Avx512F.Shuffle(t0, t2, 0x44);
            var u1 = Avx512F.Shuffle(t0, t2, 0xEE);
            var u2 = Avx512F.Shuffle(t1, t3, 0x44);
            var u3 = Avx512F.Shuffle(t1, t3, 0xEE);

            // Across lanes: output vector v is lane v of u0..u3 (tiles 4v..4v+3).
            var s0 = Avx512F.Shuffle4x128(u0, u1, 0x44);
            var s1 = Avx512F.Shuffle4x128(u0, u1, 0xEE);
            var s2 = Avx512F.Shuffle4x128(u2, u3, 0x44);
            var s3 = Avx512F.Shuffle4x128(u2, u3, 0xEE);
            var floats = 4 * Math.Min(16, tiles - k);
            var at = dest + (4 * k);
            var extra = residual == null ? null : residual + (4 * k);
            Store512(Avx512F.Shuffle4x128(s0, s2, 0x88), at, extra, floats, activation);
            Store512(Avx512F.Shuffle4x128(s0, s2, 0xDD), at + 16, extra == null ? null : extra + 16, floats - 16, activation);
            Store512(Avx512F.Shuffle4x128(s1, s3, 0x88), at + 32, extra == null ? null : extra + 32, floats - 32, activation);
            Store512(Avx512F.Shuffle4x128(s1, s3, 0xDD), at + 48, extra == null ? null : extra + 48, floats - 48, activation);
        }
    }

    /// <summary>The first <paramref name="floats"/> (all 16 when more) of <paramref name="values"/>, plus the residual and activated when there is one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(Vector512<float> values, float* dest, float* residual, int floats, in FusedActivation activation)
    {
        if (floats >= 16)
        {
            if (residual != null)
            {
                values = ActivationKernel.Apply<Vector512<float>, Width512>(values + Vector512.Load(residual), activation);
            }

            values.Store(dest);
        }
        else if (floats > 0)
        {
            var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(floats)).AsSingle();
            if (residual != null)
            {
                values = ActivationKernel.Apply<Vector512<float>, Width512>(values + Avx512F.MaskLoad(residual, mask, Vector512<float>.Zero), activation);
            }

            Avx512F.MaskStore(dest, mask, values);
        }
    }
}
