using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks;

/// <summary>How to analyse a spec.</summary>
/// <param name="Fit">Overrides the spec's own fit; null keeps the spec's (exact when it has none).</param>
/// <param name="ResNetVariant">Where residual bottlenecks put their stride.</param>
/// <param name="Limits">Null means <see cref="NetworkLimits.Default"/>.</param>
public sealed record NetworkOptions(FitMode? Fit = null, ResNetVariant ResNetVariant = ResNetVariant.Paper, NetworkLimits? Limits = null)
{
    public static NetworkOptions Default { get; } = new();
}
