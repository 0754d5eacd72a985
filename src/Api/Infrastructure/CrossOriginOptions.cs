namespace ConvService.Api.Infrastructure;

/// <summary>Browser front ends on other origins; bound from <c>ConvService:Cors</c>.</summary>
public sealed class CrossOriginOptions
{
    public const string Section = "ConvService:Cors";

    /// <summary>
    /// Origins allowed to call every endpoint, comma separated (<c>https://app.example.com,http://localhost:3000</c>).
    /// <c>*</c> lets any other origin use the read-only GETs. Empty (the default): no cross-origin calls.
    /// </summary>
    public string Origins { get; set; } = "";

    /// <summary>Request headers a browser may send: the bodies' type and the key for uploads and deletions.</summary>
    public static readonly string[] AllowedHeaders = ["Content-Type", "X-Api-Key"];

    /// <summary>Response headers a script may read.</summary>
    public static readonly string[] ExposedHeaders =
        ["Server-Timing", "X-Tile-Layout", "X-Tile-Grid", "X-Layer-Name", "X-Layer-Shape", "Retry-After", ReplicaHeader.Name];

    public IReadOnlyList<string> Listed() =>
        Origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(o => o != "*")
            .Select(o => o.TrimEnd('/'))
            .ToArray();

    /// <summary>Entries that are not an origin (scheme://host[:port], nothing after it) or <c>*</c>.</summary>
    public IReadOnlyList<string> Malformed() =>
        Listed().Where(o => !Uri.TryCreate(o, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.PathAndQuery != "/")
            .ToArray();

    public bool AnyOriginMayRead() =>
        Origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains("*");
}
