namespace ConvService.Api.Apis;

/// <summary>Liveness and readiness probes for orchestrators.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health");
        group.MapHealthChecks("/live").WithName("Live").WithSummary("The process is up.");
        group.MapHealthChecks("/ready").WithName("Ready").WithSummary("The service can take requests.");
        return app;
    }
}
