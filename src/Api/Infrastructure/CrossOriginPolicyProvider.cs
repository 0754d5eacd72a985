using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Infrastructure;

/// <summary>
/// Listed origins may call everything (filters, predictions, uploads with X-Api-Key); with <c>*</c> configured,
/// any other origin gets the read-only GETs; every other origin gets no CORS headers, so browsers refuse it.
/// </summary>
public sealed class CrossOriginPolicyProvider : ICorsPolicyProvider
{
    private readonly HashSet<string> listed;
    private readonly CorsPolicy full;
    private readonly CorsPolicy? readOnly;

    public CrossOriginPolicyProvider(IOptions<CrossOriginOptions> options)
    {
        var settings = options.Value;
        listed = new HashSet<string>(settings.Listed(), StringComparer.OrdinalIgnoreCase);
        full = new CorsPolicyBuilder()
            .WithOrigins([.. listed])
            .WithMethods(HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete)
            .WithHeaders(CrossOriginOptions.AllowedHeaders)
            .WithExposedHeaders(CrossOriginOptions.ExposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
        readOnly = settings.AnyOriginMayRead()
            ? new CorsPolicyBuilder()
                .AllowAnyOrigin()
                .WithMethods(HttpMethods.Get, HttpMethods.Head)
                .WithHeaders(CrossOriginOptions.AllowedHeaders)
                .WithExposedHeaders(CrossOriginOptions.ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
                .Build()
            : null;
    }

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return Task.FromResult<CorsPolicy?>(null);
        }

        return Task.FromResult(listed.Contains(origin.TrimEnd('/')) ? full : readOnly);
    }
}
