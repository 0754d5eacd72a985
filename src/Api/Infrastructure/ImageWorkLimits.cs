using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Infrastructure;

/// <summary>
/// Back-pressure for the image endpoints (filter, matrix, bank, compose), as the model queues have it: at most
/// MaxConcurrentImageRequests run, ImageQueueLimit wait, and the rest are refused at once with 503 and Retry-After,
/// so a burst of large uploads cannot take the process's memory past what that many requests need. An optional
/// per-client window answers 429.
/// </summary>
public static class ImageWorkLimits
{
    public const string Policy = "image-work";

    public static IServiceCollection AddImageWorkLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>((options, limits) =>
        {
            var l = limits.Value;
            options.AddConcurrencyLimiter(Policy, c =>
            {
                c.PermitLimit = l.MaxConcurrentImageRequests;
                c.QueueLimit = l.ImageQueueLimit;
                c.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
            if (l.PerClientRequestsPerMinute > 0)
            {
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    http.Request.Path.StartsWithSegments("/api")
                        ? RateLimitPartition.GetFixedWindowLimiter(
                            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                            _ => new FixedWindowRateLimiterOptions { PermitLimit = l.PerClientRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                        : RateLimitPartition.GetNoLimiter("unlimited"));
            }

            options.OnRejected = (context, cancellationToken) => Reject(context, l, cancellationToken);
        });
        return services;
    }

    /// <summary>
    /// Only the per-client window knows when it reopens (RetryAfter metadata): its refusal is the client's own
    /// rate, 429; a full queue is the server's state, 503.
    /// </summary>
    private static ValueTask Reject(OnRejectedContext context, LimitsOptions limits, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var perClient = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var reopens);
        var retryAfter = perClient ? reopens : TimeSpan.FromSeconds(1);
        http.Response.StatusCode = perClient ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var problem = perClient
            ? new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This client sent more than {limits.PerClientRequestsPerMinute} requests in a minute (ConvService:Limits:PerClientRequestsPerMinute). Retry after the Retry-After seconds.",
            }
            : new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Image work busy",
                Detail = $"{limits.MaxConcurrentImageRequests} image requests are running and {limits.ImageQueueLimit} are waiting (ConvService:Limits:MaxConcurrentImageRequests, ImageQueueLimit). Retry after the Retry-After seconds.",
            };
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
