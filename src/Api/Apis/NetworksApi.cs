using ConvService.Api.Networks;
using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;
using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;
using ConvService.Inference.Networks.Json;
using ConvService.Inference.Networks.Rendering;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Apis;

/// <summary>
/// The network calculator over HTTP: built-in case studies, reports for any spec (JSON, Markdown or CSV),
/// side-by-side comparisons and the lecture's fully/locally/convolutionally connected comparison.
/// </summary>
public static class NetworksApi
{
    private const string Markdown = "text/markdown";
    private const string Csv = "text/csv";

    private static readonly Lazy<IReadOnlyList<NetworkSummary>> Catalogue = new(() => BuiltInNetworks.Names
        .Select(name =>
        {
            var report = NetworkAnalyzer.Analyze(BuiltInNetworks.Get(name));
            return new NetworkSummary(name, report.Description ?? name, report.Totals.Parameters, report.InputShape, report.InputDims);
        })
        .ToArray());

    public static IEndpointRouteBuilder MapNetworksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/networks").WithTags("Networks");

        group.MapGet("/", ListNetworks)
            .WithName("ListNetworks")
            .WithSummary("Built-in networks: name, one-line description, parameter total and input size.");

        group.MapGet("/connectivity", CompareConnectivity)
            .WithName("CompareConnectivity")
            .WithSummary("Weights of one hidden layer wired fully, locally or convolutionally (the lecture's opening comparison).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/{name}", GetNetworkSpec)
            .WithName("GetNetworkSpec")
            .WithSummary("The spec JSON of a built-in network, ready to edit and POST to /api/networks/report.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}/report", GetNetworkReport)
            .WithName("GetNetworkReport")
            .WithSummary("Per-layer shapes, parameters, memory, multiply-accumulates and worked arithmetic of a built-in network.")
            .Produces<string>(StatusCodes.Status200OK, Markdown, Csv)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/report", PostNetworkReport)
            .WithName("PostNetworkReport")
            .WithSummary("Report for the spec in the body; Accept text/markdown or text/csv (or ?format=) for a table.")
            .Accepts<NetworkSpec>("application/json")
            .Produces<string>(StatusCodes.Status200OK, Markdown, Csv)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/compare", CompareNetworks)
            .WithName("CompareNetworks")
            .WithSummary("Several built-in names and/or specs side by side: parameters, multiply-accumulates and memory.")
            .Accepts<NetworkCompareRequest>("application/json")
            .Produces<string>(StatusCodes.Status200OK, Markdown, Csv)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    internal static Ok<IReadOnlyList<NetworkSummary>> ListNetworks() => TypedResults.Ok(Catalogue.Value);

    internal static Ok<NetworkSpec> GetNetworkSpec(string name) => TypedResults.Ok(BuiltInNetworks.Get(name));

    internal static Results<Ok<NetworkReport>, ContentHttpResult> GetNetworkReport(
        string name, HttpRequest request, IOptions<NetworkLimitsOptions> limits, string? format = null, string? fit = null, string? resnet = null)
    {
        var spec = BuiltInNetworks.Get(name);
        var report = NetworkAnalyzer.Analyze(spec, Options(limits.Value, fit, resnet));
        return Render(report, request, format);
    }

    internal static async Task<Results<Ok<NetworkReport>, ContentHttpResult>> PostNetworkReport(
        HttpRequest request, IOptions<NetworkLimitsOptions> limits, CancellationToken cancellationToken,
        string? format = null, string? fit = null, string? resnet = null)
    {
        var body = await ReadBody(request, limits.Value, cancellationToken);
        var spec = NetworkJson.ReadSpec(body);
        var report = NetworkAnalyzer.Analyze(spec, Options(limits.Value, fit, resnet));
        return Render(report, request, format);
    }

    internal static async Task<Results<Ok<NetworkComparison>, ContentHttpResult>> CompareNetworks(
        HttpRequest request, IOptions<NetworkLimitsOptions> limits, CancellationToken cancellationToken, string? format = null)
    {
        var body = await ReadBody(request, limits.Value, cancellationToken);
        var compare = NetworkJson.ReadCompareRequest(body);
        var specs = (compare.Names ?? []).Select(BuiltInNetworks.Get).Concat(compare.Specs ?? []).ToList();
        if (specs.Count == 0)
        {
            throw ConvServiceException.InvalidInput("Nothing to compare",
                "The request names no networks. Fix: send {\"names\": [\"alexnet\", \"vgg16\", \"googlenet\", \"resnet152\"]} and/or \"specs\": [...].");
        }

        if (specs.Count > limits.Value.MaxCompare)
        {
            throw ConvServiceException.OverLimit("Too many networks",
                $"{specs.Count} networks were sent; at most {limits.Value.MaxCompare} can be compared at once (ConvService:Networks:MaxCompare). Fix: split the request.");
        }

        var options = new NetworkOptions(compare.Fit, compare.ResNetVariant ?? ResNetVariant.Paper, limits.Value.ToLimits());
        var comparison = NetworkComparer.Compare(specs, options);
        return ChooseFormat(request, format) switch
        {
            Markdown => TypedResults.Text(NetworkReportMarkdown.Render(comparison), $"{Markdown}; charset=utf-8"),
            Csv => TypedResults.Text(NetworkReportCsv.Render(comparison), $"{Csv}; charset=utf-8"),
            _ => TypedResults.Ok(comparison),
        };
    }

    internal static Ok<ConnectivityComparison> CompareConnectivity(
        int channels = 3, int height = 200, int width = 200, int units = 1000, int patch = 10, int filters = 100) =>
        TypedResults.Ok(ConnectivityCalculator.Compare(channels, height, width, units, patch, filters));

    private static Results<Ok<NetworkReport>, ContentHttpResult> Render(NetworkReport report, HttpRequest request, string? format) =>
        ChooseFormat(request, format) switch
        {
            Markdown => TypedResults.Text(NetworkReportMarkdown.Render(report), $"{Markdown}; charset=utf-8"),
            Csv => TypedResults.Text(NetworkReportCsv.Render(report), $"{Csv}; charset=utf-8"),
            _ => TypedResults.Ok(report),
        };

    /// <summary>?format= wins over the Accept header; JSON unless Markdown or CSV is asked for.</summary>
    private static string ChooseFormat(HttpRequest request, string? format)
    {
        if (!string.IsNullOrEmpty(format))
        {
            return format.ToLowerInvariant() switch
            {
                "markdown" or "md" => Markdown,
                "csv" => Csv,
                "json" => "json",
                _ => throw ConvServiceException.InvalidInput("Unknown format",
                    $"format \"{format}\" is not supported. Fix: use format=json, format=markdown or format=csv (or an Accept header)."),
            };
        }

        var accept = request.Headers.Accept.ToString();
        if (accept.Contains(Markdown, StringComparison.OrdinalIgnoreCase))
        {
            return Markdown;
        }

        return accept.Contains(Csv, StringComparison.OrdinalIgnoreCase) ? Csv : "json";
    }

    private static NetworkOptions Options(NetworkLimitsOptions limits, string? fit, string? resnet)
    {
        FitMode? fitMode = fit?.ToLowerInvariant() switch
        {
            null or "" => null,
            "exact" => FitMode.Exact,
            "floor" => FitMode.Floor,
            _ => throw ConvServiceException.InvalidInput("Unknown fit",
                $"fit \"{fit}\" is not supported. Fix: use fit=exact (refuse strides that do not fit) or fit=floor (round down as PyTorch does)."),
        };
        var variant = resnet?.ToLowerInvariant() switch
        {
            null or "" or "paper" => ResNetVariant.Paper,
            "v1.5" or "v1_5" or "torchvision" => ResNetVariant.V1_5,
            _ => throw ConvServiceException.InvalidInput("Unknown ResNet variant",
                $"resnet \"{resnet}\" is not supported. Fix: use resnet=paper (stride on the first 1x1) or resnet=v1.5 (stride on the 3x3)."),
        };
        return new NetworkOptions(fitMode, variant, limits.ToLimits());
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBody(HttpRequest request, NetworkLimitsOptions limits, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new ConvServiceException(ErrorKind.Unsupported, "Unsupported media type",
                $"The body's content type is \"{request.ContentType}\". Fix: send the spec as JSON with Content-Type: application/json.");
        }

        if (request.ContentLength > limits.MaxSpecBytes)
        {
            throw SpecTooLarge(limits);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limits.MaxSpecBytes)
            {
                throw SpecTooLarge(limits);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ConvServiceException SpecTooLarge(NetworkLimitsOptions limits) => ConvServiceException.OverLimit("Spec too large",
        $"The body is larger than {limits.MaxSpecBytes} bytes (ConvService:Networks:MaxSpecBytes). Fix: send a smaller spec, or use blocks (inception, residual) to shorten it.");
}
