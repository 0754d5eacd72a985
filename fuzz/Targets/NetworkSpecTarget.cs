using ConvService.Api.Networks;
using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;
using ConvService.Inference.Networks;
using ConvService.Inference.Networks.Json;

namespace ConvService.Fuzz.Targets;

/// <summary>
/// POST /api/networks/report without HTTP: the spec JSON reader, then the analyzer with the service's default
/// limits. A refusal is a <see cref="ConvServiceException"/>; anything else that escapes would be a 500.
/// </summary>
internal static class NetworkSpecTarget
{
    private static readonly NetworkOptions Analysis = new(null, ResNetVariant.Paper, new NetworkLimitsOptions().ToLimits());

    public static void Run(byte[] bytes)
    {
        try
        {
            var spec = NetworkJson.ReadSpec(bytes);
            NetworkAnalyzer.Analyze(spec, Analysis);
        }
        catch (ConvServiceException)
        {
        }
    }
}
