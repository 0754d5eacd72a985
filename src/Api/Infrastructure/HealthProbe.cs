namespace ConvService.Api.Infrastructure;

/// <summary>
/// <c>ConvService.Api --health-check [url]</c>: asks the running service on this machine whether it is ready and
/// exits 0 or 1, so a container HEALTHCHECK needs neither curl nor a shell in the image.
/// </summary>
public static class HealthProbe
{
    public const string Switch = "--health-check";

    public const string ReadyPath = "/health/ready";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Switch;

    public static async Task<int> RunAsync(string[] args)
    {
        var target = args.Length < 2
            ? ReadyUri(Environment.GetEnvironmentVariable)
            : Uri.TryCreate(args[1], UriKind.Absolute, out var given) ? given : null;
        if (target is null)
        {
            Console.WriteLine($"'{args[1]}' is not an absolute URL, e.g. http://127.0.0.1:8080/health/ready");
            return 2;
        }

        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await client.GetAsync(target);
            Console.WriteLine($"{target} {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{target} unreachable: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// The readiness URL on loopback at the port Kestrel was told to use: ASPNETCORE_URLS wins over
    /// ASPNETCORE_HTTP_PORTS as it does in Kestrel; 8080 (the container default) when neither is set.
    /// </summary>
    public static Uri ReadyUri(Func<string, string?> environment)
    {
        var urls = environment("ASPNETCORE_URLS");
        if (!string.IsNullOrWhiteSpace(urls))
        {
            var http = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
            if (http is not null)
            {
                // Wildcard hosts (+, *, 0.0.0.0, [::]) are not addresses a client can call.
                var rest = http["http://".Length..];
                var colon = rest.LastIndexOf(':');
                var port = colon >= 0 ? rest[(colon + 1)..].TrimEnd('/') : "80";
                return new Uri($"http://127.0.0.1:{port}{ReadyPath}");
            }
        }

        var ports = environment("ASPNETCORE_HTTP_PORTS");
        var first = ports?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return new Uri($"http://127.0.0.1:{first ?? "8080"}{ReadyPath}");
    }
}
