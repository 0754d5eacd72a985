namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Weights and bias packed for kernels that run output channels along the vector lanes: per group, panels of
/// <c>channels</c> consecutive output channels, each holding for every k (input channel, ky, kx) one channel
/// vector. Channels past the group's last are zero, so a partial panel computes zeros it never stores.
/// </summary>
internal static class ChannelPanels
{
    public static int Count(in ConvGeometry g, int channels) => (g.OutChannelsPerGroup + channels - 1) / channels;

    public static float[] PackWeights(in ConvGeometry g, ReadOnlySpan<float> weights, int channels)
    {
        int ocg = g.OutChannelsPerGroup, depth = g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth, panels = Count(g, channels);
        var packed = new float[(long)g.Groups * panels * depth * channels];
        for (var group = 0; group < g.Groups; group++)
        {
            for (var oc = 0; oc < ocg; oc++)
            {
                var panel = ((long)group * panels + oc / channels) * depth * channels;
                var source = weights.Slice((group * ocg + oc) * depth, depth);
                for (var p = 0; p < depth; p++)
                {
                    packed[panel + (long)p * channels + oc % channels] = source[p];
                }
            }
        }

        return packed;
    }

    /// <summary>The bias padded to whole panels per group, or null without one.</summary>
    public static float[]? PadBias(in ConvGeometry g, ReadOnlySpan<float> bias, int channels)
    {
        if (bias.IsEmpty)
        {
            return null;
        }

        int ocg = g.OutChannelsPerGroup, panels = Count(g, channels);
        var padded = new float[g.Groups * panels * channels];
        for (var group = 0; group < g.Groups; group++)
        {
            bias.Slice(group * ocg, ocg).CopyTo(padded.AsSpan(group * panels * channels));
        }

        return padded;
    }
}
