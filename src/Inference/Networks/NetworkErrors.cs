using ConvService.Inference.Errors;

namespace ConvService.Inference.Networks;

/// <summary>Refusals that name the layer at fault in the message and as problem-details members.</summary>
internal static class NetworkErrors
{
    public static ConvServiceException DoesNotFit(LayerSite site, string title, string detail) =>
        Create(ErrorKind.DoesNotFit, site, title, detail);

    public static ConvServiceException OverLimit(LayerSite site, string title, string detail) =>
        Create(ErrorKind.OverLimit, site, title, detail);

    public static ConvServiceException InvalidInput(LayerSite site, string title, string detail) =>
        Create(ErrorKind.InvalidInput, site, title, detail);

    private static ConvServiceException Create(ErrorKind kind, LayerSite site, string title, string detail) =>
        new(kind, title, $"Layer {site.Describe}: {detail}", new Dictionary<string, object?>
        {
            ["layerIndex"] = site.Index,
            ["layerPath"] = site.Path,
            ["layerName"] = site.Name,
        });
}
