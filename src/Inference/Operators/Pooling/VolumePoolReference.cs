namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// MaxPool, AveragePool and LpPool over 3-D volumes, window by window (3-D pooling is rare in the models served here, so
/// there is no vector path). Divisors follow <see cref="PoolReference.DilatedAverage"/>.
/// </summary>
public static class VolumePoolReference
{
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
                    var iz = (oz * g.Strides[0]) - g.PadsBegin[0] + (kz * g.Dilations[0]);
                    var iy = (oy * g.Strides[1]) - g.PadsBegin[1] + (ky * g.Dilations[1]);
                    var ix = (ox * g.Strides[2]) - g.PadsBegin[2] + (kx * g.Dilations[2]);
                    if ((uint)iz < (uint)g.InSize[0] && (uint)iy < (uint)g.InSize[1] && (uint)ix < (uint)g.InSize[2])
                    {
                        var v = source[(((iz * g.InSize[1]) + iy) * g.InSize[2]) + ix];
                        best = MathF.Max(best, v);
                        sum += v;
                        count++;
                    }
                    else if (countIncludePad && InsidePadding(g, iz, 0) && InsidePadding(g, iy, 1) && InsidePadding(g, ix, 2))
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
                    var iz = (oz * g.Strides[0]) - g.PadsBegin[0] + (kz * g.Dilations[0]);
                    var iy = (oy * g.Strides[1]) - g.PadsBegin[1] + (ky * g.Dilations[1]);
                    var ix = (ox * g.Strides[2]) - g.PadsBegin[2] + (kx * g.Dilations[2]);
                    if ((uint)iz < (uint)g.InSize[0] && (uint)iy < (uint)g.InSize[1] && (uint)ix < (uint)g.InSize[2])
                    {
                        sum += PoolReference.Power(source[(((iz * g.InSize[1]) + iy) * g.InSize[2]) + ix], p);
                    }
                }

                output[at] = PoolReference.Root(sum, p);
            }
        }
    }

    private static bool InsidePadding(VolumePoolGeometry g, int index, int axis) =>
        index >= -g.PadsBegin[axis] && index < g.InSize[axis] + g.PadsEnd[axis];
}
