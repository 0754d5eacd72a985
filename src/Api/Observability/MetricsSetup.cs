using ConvService.Inference.Serving.Execution;
using OpenTelemetry.Metrics;

namespace ConvService.Api.Observability;

/// <summary>OpenTelemetry metrics in the Prometheus text format at /metrics.</summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static WebApplicationBuilder AddMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            // Request rate and latency per route: http.server.request.duration, tagged with http.route.
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(ServiceMetrics.MeterName, ServingMetrics.MeterName)
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}
