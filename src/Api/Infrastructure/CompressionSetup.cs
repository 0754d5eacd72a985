using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace ConvService.Api.Infrastructure;

/// <summary>
/// Brotli or gzip for text answers (activations and reports run to megabytes of JSON). Images are not in the list,
/// so they are never compressed: PNG, JPEG and WebP are compressed already.
/// </summary>
public static class CompressionSetup
{
    public static readonly string[] CompressedTypes =
    [
        "application/json",
        "application/problem+json",
        "text/plain",
        "text/markdown",
        "text/csv",
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        // The /metrics scrape.
        "application/openmetrics-text",
    ];

    public static IServiceCollection AddJsonCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            // No answer carries a secret or reflects one next to attacker-chosen text, so BREACH does not apply.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = CompressedTypes;
        });

        // Fastest: the answer is made per request, and level 1 already shrinks float JSON several times.
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return services;
    }
}
