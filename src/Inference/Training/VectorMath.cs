using System.Numerics;
using System.Runtime.InteropServices;

namespace ConvService.Inference.Training;

/// <summary>
/// The two loops training spends its time in, vectorised with a scalar tail; AddScaled is also the preprocessing
/// resampler's column pass. Each vector step is a multiply then an add, as the tail, so the bits do not depend on
/// where the vectors end.
/// </summary>
internal static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = a.Length;
        var width = Vector<float>.Count;
        var i = 0;
        var acc = Vector<float>.Zero;
        if (n >= width)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..n]);
            for (var v = 0; v < va.Length; v++)
            {
                acc += va[v] * vb[v];
            }

            i = va.Length * width;
        }

        var sum = Vector.Sum(acc);
        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>y += scale * x.</summary>
    public static void AddScaled(Span<float> y, float scale, ReadOnlySpan<float> x)
    {
        var n = y.Length;
        var width = Vector<float>.Count;
        var i = 0;
        if (n >= width)
        {
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x[..n]);
            var s = new Vector<float>(scale);
            for (var v = 0; v < vy.Length; v++)
            {
                vy[v] += s * vx[v];
            }

            i = vy.Length * width;
        }

        for (; i < n; i++)
        {
            y[i] += scale * x[i];
        }
    }
}
