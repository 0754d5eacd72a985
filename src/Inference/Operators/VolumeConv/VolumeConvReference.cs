namespace ConvService.Inference.Operators.VolumeConv;

/// <summary>3-D convolution by the book, output by output and tap by tap: the oracle for <see cref="VolumeConvKernel"/>.</summary>
public static class VolumeConvReference
{
    /// <summary>Weights are ONNX's [out channels, in channels per group, kd, kh, kw]; the bias may be empty.</summary>
    public static void Run(VolumeConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output, int batch)
    {
        int k = g.KernelElements, inPlane = g.InPlane, outPlane = g.OutPlane;
        for (var n = 0; n < batch; n++)
        for (var oc = 0; oc < g.OutChannels; oc++)
        {
            var group = oc / g.OutChannelsPerGroup;
            for (var oz = 0; oz < g.OutSize[0]; oz++)
            for (var oy = 0; oy < g.OutSize[1]; oy++)
            for (var ox = 0; ox < g.OutSize[2]; ox++)
            {
                var sum = bias.IsEmpty ? 0f : bias[oc];
                for (var icg = 0; icg < g.InChannelsPerGroup; icg++)
                {
                    var ic = (group * g.InChannelsPerGroup) + icg;
                    for (var kz = 0; kz < g.Kernel[0]; kz++)
                    for (var ky = 0; ky < g.Kernel[1]; ky++)
                    for (var kx = 0; kx < g.Kernel[2]; kx++)
                    {
                        var iz = (oz * g.Strides[0]) - g.PadsBegin[0] + (kz * g.Dilations[0]);
                        var iy = (oy * g.Strides[1]) - g.PadsBegin[1] + (ky * g.Dilations[1]);
                        var ix = (ox * g.Strides[2]) - g.PadsBegin[2] + (kx * g.Dilations[2]);
                        if ((uint)iz < (uint)g.InSize[0] && (uint)iy < (uint)g.InSize[1] && (uint)ix < (uint)g.InSize[2])
                        {
                            sum += input[(((n * g.InChannels) + ic) * inPlane) + (((iz * g.InSize[1]) + iy) * g.InSize[2]) + ix]
                                * weights[(((oc * g.InChannelsPerGroup) + icg) * k) + (((kz * g.Kernel[1]) + ky) * g.Kernel[2]) + kx];
                        }
                    }
                }

                output[(((n * g.OutChannels) + oc) * outPlane) + (((oz * g.OutSize[1]) + oy) * g.OutSize[2]) + ox] = sum;
            }
        }
    }
}
