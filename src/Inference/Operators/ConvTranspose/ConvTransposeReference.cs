using ConvService.Inference.Operators.VolumeConv;

namespace ConvService.Inference.Operators.ConvTranspose;

/// <summary>ConvTranspose by the book: every input value scattered through every kernel tap. The oracle for <see cref="ConvTransposeKernel"/>.</summary>
public static class ConvTransposeReference
{
    /// <summary>Weights are ONNX's [in channels, out channels per group, kernel...]; the bias may be empty.</summary>
    public static void Run(VolumeConvGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output, int batch)
    {
        int inPlane = g.InPlane, outPlane = g.OutPlane, k = g.KernelElements;
        for (var n = 0; n < batch; n++)
        {
            for (var oc = 0; oc < g.OutChannels; oc++)
            {
                output.Slice(((n * g.OutChannels) + oc) * outPlane, outPlane).Fill(bias.IsEmpty ? 0f : bias[oc]);
            }

            for (var ic = 0; ic < g.InChannels; ic++)
            {
                var group = ic / g.InChannelsPerGroup;
                for (var iz = 0; iz < g.InSize[0]; iz++)
                for (var iy = 0; iy < g.InSize[1]; iy++)
                for (var ix = 0; ix < g.InSize[2]; ix++)
                {
                    var value = input[(((n * g.InChannels) + ic) * inPlane) + (((iz * g.InSize[1]) + iy) * g.InSize[2]) + ix];
                    for (var ocg = 0; ocg < g.OutChannelsPerGroup; ocg++)
                    {
                        var oc = (group * g.OutChannelsPerGroup) + ocg;
                        for (var kz = 0; kz < g.Kernel[0]; kz++)
                        for (var ky = 0; ky < g.Kernel[1]; ky++)
                        for (var kx = 0; kx < g.Kernel[2]; kx++)
                        {
                            var oz = (iz * g.Strides[0]) - g.PadsBegin[0] + (kz * g.Dilations[0]);
                            var oy = (iy * g.Strides[1]) - g.PadsBegin[1] + (ky * g.Dilations[1]);
                            var ox = (ix * g.Strides[2]) - g.PadsBegin[2] + (kx * g.Dilations[2]);
                            if ((uint)oz >= (uint)g.OutSize[0] || (uint)oy >= (uint)g.OutSize[1] || (uint)ox >= (uint)g.OutSize[2])
                            {
                                continue;
                            }

                            var w = weights[(((ic * g.OutChannelsPerGroup) + ocg) * k) + (((kz * g.Kernel[1]) + ky) * g.Kernel[2]) + kx];
                            output[(((n * g.OutChannels) + oc) * outPlane) + (((oz * g.OutSize[1]) + oy) * g.OutSize[2]) + ox] += value * w;
                        }
                    }
                }
            }
        }
    }
}
