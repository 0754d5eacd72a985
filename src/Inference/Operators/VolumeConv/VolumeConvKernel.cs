using ConvService.Inference.Kernels.Gemm;

namespace ConvService.Inference.Operators.VolumeConv;

/// <summary>
/// 3-D convolution as im2col then GEMM: per image and group the input is unfolded into one row per (input channel,
/// tap) and one column per output position, and the weights ([out channels, in channels x taps]) times that
/// matrix is the output. Volumes are rare in the models served here, so the unfolded matrix is simply built whole.
/// </summary>
public sealed class VolumeConvKernel(VolumeConvGeometry geometry, float[] weights, float[] bias)
{
    public VolumeConvGeometry Geometry => geometry;

    /// <summary>Floats of scratch one call needs: one group's unfolded input.</summary>
    public int ScratchFloats => geometry.ColumnRows * geometry.OutPlane;

    public void Run(ReadOnlySpan<float> input, Span<float> output, int batch, Span<float> scratch, int degreeOfParallelism, SimdLevel level)
    {
        var g = geometry;
        int rows = g.ColumnRows, inPerGroup = g.InChannelsPerGroup, outPerGroup = g.OutChannelsPerGroup, inPlane = g.InPlane, outPlane = g.OutPlane;
        var columns = scratch[..(rows * outPlane)];
        for (var n = 0; n < batch; n++)
        {
            for (var group = 0; group < g.Groups; group++)
            {
                Unfold(input.Slice(((n * g.InChannels) + (group * inPerGroup)) * inPlane, inPerGroup * inPlane), columns);
                var y = output.Slice(((n * g.OutChannels) + (group * outPerGroup)) * outPlane, outPerGroup * outPlane);
                for (var oc = 0; oc < outPerGroup; oc++)
                {
                    y.Slice(oc * outPlane, outPlane).Fill(bias.Length == 0 ? 0f : bias[(group * outPerGroup) + oc]);
                }

                Sgemm.Multiply(
                    false, false, outPerGroup, outPlane, rows, 1f,
                    weights.AsSpan(group * outPerGroup * rows, outPerGroup * rows), rows,
                    columns, outPlane,
                    1f, y, outPlane, degreeOfParallelism, level);
            }
        }
    }

    private void Unfold(ReadOnlySpan<float> x, Span<float> columns)
    {
        var g = geometry;
        int inPlane = g.InPlane, outPlane = g.OutPlane;
        var row = 0;
        for (var ic = 0; ic < g.InChannelsPerGroup; ic++)
        for (var kz = 0; kz < g.Kernel[0]; kz++)
        for (var ky = 0; ky < g.Kernel[1]; ky++)
        for (var kx = 0; kx < g.Kernel[2]; kx++, row++)
        {
            var destination = columns.Slice(row * outPlane, outPlane);
            var at = 0;
            for (var oz = 0; oz < g.OutSize[0]; oz++)
            {
                var iz = (oz * g.Strides[0]) - g.PadsBegin[0] + (kz * g.Dilations[0]);
                for (var oy = 0; oy < g.OutSize[1]; oy++)
                {
                    var iy = (oy * g.Strides[1]) - g.PadsBegin[1] + (ky * g.Dilations[1]);
                    var inside = (uint)iz < (uint)g.InSize[0] && (uint)iy < (uint)g.InSize[1];
                    var line = inside ? x.Slice((ic * inPlane) + (((iz * g.InSize[1]) + iy) * g.InSize[2]), g.InSize[2]) : default;
                    for (var ox = 0; ox < g.OutSize[2]; ox++, at++)
                    {
                        var ix = (ox * g.Strides[2]) - g.PadsBegin[2] + (kx * g.Dilations[2]);
                        destination[at] = inside && (uint)ix < (uint)line.Length ? line[ix] : 0f;
                    }
                }
            }
        }
    }
}
