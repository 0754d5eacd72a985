namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// The plain definition of convolution (ONNX Conv semantics): the oracle every fast path is tested against.
/// Deliberately naive; never used on a hot path.
/// </summary>
public static class ConvReference
{
    public static void Run(
        in ConvGeometry g,
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias,
        FusedActivation activation,
        Span<float> output,
        int batch)
    {
        int icg = g.InChannelsPerGroup, ocg = g.OutChannelsPerGroup, oh = g.OutHeight, ow = g.OutWidth;
        for (var n = 0; n < batch; n++)
        {
            for (var oc = 0; oc < g.OutChannels; oc++)
            {
                var group = oc / ocg;
                for (var y = 0; y < oh; y++)
                {
                    for (var x = 0; x < ow; x++)
                    {
                        double sum = bias.IsEmpty ? 0 : bias[oc];
                        for (var ic = 0; ic < icg; ic++)
                        {
                            var inChannel = group * icg + ic;
                            for (var ky = 0; ky < g.KernelHeight; ky++)
                            {
                                var iy = y * g.StrideH - g.PadTop + ky * g.DilationH;
                                if ((uint)iy >= (uint)g.InHeight)
                                {
                                    continue;
                                }

                                for (var kx = 0; kx < g.KernelWidth; kx++)
                                {
                                    var ix = x * g.StrideW - g.PadLeft + kx * g.DilationW;
                                    if ((uint)ix >= (uint)g.InWidth)
                                    {
                                        continue;
                                    }

                                    var v = input[((n * g.InChannels + inChannel) * g.InHeight + iy) * g.InWidth + ix];
                                    var w = weights[((oc * icg + ic) * g.KernelHeight + ky) * g.KernelWidth + kx];
                                    sum += (double)v * w;
                                }
                            }
                        }

                        output[((n * g.OutChannels + oc) * oh + y) * ow + x] = activation.Apply((float)sum);
                    }
                }
            }
        }
    }
}
