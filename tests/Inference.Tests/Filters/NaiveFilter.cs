using ConvService.Inference.Filters;

namespace ConvService.Inference.Tests.Filters;

/// <summary>
/// The test oracle: nested loops over output pixels and kernel taps, sums in double, border pixels found by
/// walking the reflection step by step. Shares no code with the engine on purpose.
/// </summary>
internal static class NaiveFilter
{
    public static FloatImage Run(FloatImage image, FilterKernel kernel, FilterSettings s)
    {
        var (outW, padLeft) = Axis(image.Width, kernel.Cols, s);
        var (outH, padTop) = Axis(image.Height, kernel.Rows, s);
        var output = new FloatImage(outW, outH, image.Channels);
        for (var c = 0; c < image.Channels; c++)
        {
            for (var oy = 0; oy < outH; oy++)
            {
                for (var ox = 0; ox < outW; ox++)
                {
                    output[c, oy, ox] = kernel switch
                    {
                        FilterKernel.Linear l => (float)Response(image, c, oy, ox, l.Kernel, s, padTop, padLeft),
                        FilterKernel.GradientMagnitude m => (float)Math.Sqrt(
                            Square(Response(image, c, oy, ox, m.Gx, s, padTop, padLeft))
                            + Square(Response(image, c, oy, ox, m.Gy, s, padTop, padLeft))),
                        _ => throw new InvalidOperationException(),
                    };
                }
            }
        }

        return output;
    }

    /// <summary>Output size and leading pad along one axis, straight from the definitions.</summary>
    public static (int Out, int PadBefore) Axis(int n, int f, FilterSettings s)
    {
        switch (s.Padding)
        {
            case PaddingMode.Same:
                var o = (int)Math.Ceiling(n / (double)s.Stride);
                return (o, Math.Max((o - 1) * s.Stride + f - n, 0) / 2);
            case PaddingMode.Valid:
                return ((int)Math.Floor((n - f) / (double)s.Stride) + 1, 0);
            default:
                return ((int)Math.Floor((n - f + 2 * s.Pad) / (double)s.Stride) + 1, s.Pad);
        }
    }

    public static float? Read(FloatImage image, int c, int y, int x, BorderMode mode)
    {
        var yy = Source(y, image.Height, mode);
        var xx = Source(x, image.Width, mode);
        return yy is null || xx is null ? null : image[c, yy.Value, xx.Value];
    }

    public static int? Source(int i, int n, BorderMode mode)
    {
        switch (mode)
        {
            case BorderMode.Zero:
                return i >= 0 && i < n ? i : null;
            case BorderMode.Replicate:
                return Math.Clamp(i, 0, n - 1);
            case BorderMode.Wrap:
                while (i < 0)
                {
                    i += n;
                }

                while (i >= n)
                {
                    i -= n;
                }

                return i;
            case BorderMode.Reflect:
                while (i < 0 || i >= n)
                {
                    i = i < 0 ? -i - 1 : 2 * n - 1 - i;
                }

                return i;
            default:
                if (n == 1)
                {
                    return 0;
                }

                while (i < 0 || i >= n)
                {
                    i = i < 0 ? -i : 2 * n - 2 - i;
                }

                return i;
        }
    }

    private static double Response(FloatImage image, int c, int oy, int ox, Kernel2D k, FilterSettings s, int padTop, int padLeft)
    {
        var sum = 0.0;
        for (var i = 0; i < k.Rows; i++)
        {
            for (var j = 0; j < k.Cols; j++)
            {
                var w = s.Op == FilterOp.Convolve ? k[k.Rows - 1 - i, k.Cols - 1 - j] : k[i, j];
                var v = Read(image, c, oy * s.Stride - padTop + i, ox * s.Stride - padLeft + j, s.Border) ?? 0f;
                sum += (double)w * v;
            }
        }

        return sum;
    }

    private static double Square(double v) => v * v;
}
