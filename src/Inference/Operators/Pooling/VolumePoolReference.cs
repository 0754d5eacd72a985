namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// MaxPool, AveragePool and LpPool over 3-D volumes, window by window (3-D pooling is rare in the models served here, so
/// there is no vector path). Divisors follow <see cref="PoolReference.DilatedAverage"/>.
/// </summary>
public static class VolumePoolReference
{
    private const int InPadding = -1;
    private const int PastPadding = -2;

    public static void Run(VolumePoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, bool isMax, bool countIncludePad)
    {
        for (var p = 0; p < planes; p++)
        {
            var source = input.Slice(p * g.InVolume, g.InVolume);
            var at = p * g.OutVolume;
            for (var oz = 0; oz < g.OutSize[0]; oz++)
            for (var oy = 0; oy < g.OutSize[1]; oy++)
            for (var ox = 0; ox < g.OutSize[2]; ox++, at++)
            {
                var best = float.NegativeInfinity;
                var sum = 0f;
                var count = 0;
                for (var kz = 0; kz < g.Kernel[0]; kz++)
                for (var ky = 0; ky < g.Kernel[1]; ky++)
                for (var kx = 0; kx < g.Kernel[2]; kx++)
                {
                    var offset = Locate(g, oz, oy, ox, kz, ky, kx);
                    if (offset >= 0)
                    {
                        var v = source[offset];
                        best = MathF.Max(best, v);
                        sum += v;
                        count++;
                    }
                    else if (countIncludePad && offset == InPadding)
                    {
                        count++;
                    }
                }

                output[at] = isMax ? best : count > 0 ? sum / count : 0f;
            }
        }
    }

    /// <summary>LpPool: the p-norm of each window's values; padding contributes nothing.</summary>
    public static void Lp(VolumePoolGeometry g, ReadOnlySpan<float> input, Span<float> output, int planes, float p)
    {
        for (var plane = 0; plane < planes; plane++)
        {
            var source = input.Slice(plane * g.InVolume, g.InVolume);
            var at = plane * g.OutVolume;
            for (var oz = 0; oz < g.OutSize[0]; oz++)
            for (var oy = 0; oy < g.OutSize[1]; oy++)
            for (var ox = 0; ox < g.OutSize[2]; ox++, at++)
            {
                var sum = 0f;
                for (var kz = 0; kz < g.Kernel[0]; kz++)
                for (var ky = 0; ky < g.Kernel[1]; ky++)
                for (var kx = 0; kx < g.Kernel[2]; kx++)
                {
                    var offset = Locate(g, oz, oy, ox, kz, ky, kx);
                    if (offset >= 0)
                    {
                        sum += PoolReference.Power(source[offset], p);
                    }
                }

                output[at] = PoolReference.Root(sum, p);
            }
        }
    }

    /// <summary>
    /// Where tap (kz, ky, kx) of output (oz, oy, ox) falls: its offset in the input volume, <see cref="InPadding"/>
    /// in the declared padding, <see cref="PastPadding"/> beyond it (a ceil-mode window's overhang).
    /// </summary>
    private static int Locate(VolumePoolGeometry g, int oz, int oy, int ox, int kz, int ky, int kx)
    {
        int iz = Input(g, 0, oz, kz), iy = Input(g, 1, oy, ky), ix = Input(g, 2, ox, kx);
        if ((uint)iz < (uint)g.InSize[0] && (uint)iy < (uint)g.InSize[1] && (uint)ix < (uint)g.InSize[2])
        {
            return (((iz * g.InSize[1]) + iy) * g.InSize[2]) + ix;
        }

        return InsidePadding(g, iz, 0) && InsidePadding(g, iy, 1) && InsidePadding(g, ix, 2) ? InPadding : PastPadding;
    }

    private static int Input(VolumePoolGeometry g, int axis, int output, int tap) =>
        (output * g.Strides[axis]) - g.PadsBegin[axis] + (tap * g.Dilations[axis]);

    private static bool InsidePadding(VolumePoolGeometry g, int index, int axis) =>
        index >= -g.PadsBegin[axis] && index < g.InSize[axis] + g.PadsEnd[axis];
}
