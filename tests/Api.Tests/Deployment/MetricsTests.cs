using System.Net;
using ConvService.Api.Tests.Models;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Deployment;

[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task MetricsCountTheRequestsFiltersAndInferencesServed()
    {
        await using var service = ModelService.Create();
        var client = service.Client;
        var image = TestImages.Sample("chelsea.png");
        for (var i = 0; i < 3; i++)
        {
            using var filtered = await client.PostAsync("/api/filter", Forms.With(image, fields: ("kernel", "box")));
            Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
        }

        for (var digit = 0; digit < 2; digit++)
        {
            using var predicted = await client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(digit)));
            Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
        }

        using var scrape = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var metrics = new PrometheusText(await scrape.Content.ReadAsStringAsync());

        // Request rate and latency per route, from ASP.NET Core's own meter.
        Assert.Equal(3, metrics.Sum("http_server_request_duration_seconds_count", "http_route=\"/api/filter\"", "http_response_status_code=\"200\""));
        Assert.Equal(2, metrics.Sum("http_server_request_duration_seconds_count", "http_route=\"/api/models/{name}/predict\""));
        Assert.True(metrics.Has("http_server_request_duration_seconds_bucket"));

        // The service's meters.
        Assert.Equal(3, metrics.Sum("convservice_filter_phase_duration_seconds_count", "phase=\"decode\""));
        Assert.Equal(3, metrics.Sum("convservice_filter_phase_duration_seconds_count", "phase=\"filter\""));
        Assert.Equal(3, metrics.Sum("convservice_filter_phase_duration_seconds_count", "phase=\"encode\""));
        var (width, height) = (451, 300);
        Assert.Equal(3 * width * height / 1e6, metrics.Sum("convservice_filter_megapixels_total"), 6);
        Assert.Equal(2, metrics.Sum("convservice_inferences_total", "model=\"lenet5-mnist\""));
        Assert.Equal(2, metrics.Sum("convservice_batch_size_count", "model=\"lenet5-mnist\""));
        Assert.Equal(2, metrics.Sum("convservice_queue_wait_seconds_count", "model=\"lenet5-mnist\""));
        Assert.Equal(0, metrics.Sum("convservice_queue_depth", "model=\"lenet5-mnist\""));
        Assert.Equal(1, metrics.Sum("convservice_model_loads_total", "model=\"lenet5-mnist\"", "outcome=\"loaded\""));

        // The runtime's.
        Assert.True(metrics.Has("dotnet_gc_collections_total"));

        // Every series the Grafana dashboard plots is exported (refusals only once there has been one).
        Assert.All(DashboardMetrics().Where(m => m != "convservice_refusals_total"), m => Assert.True(metrics.Has(m), $"{m} is not exported"));
    }

    /// <summary>The metric names in deploy/grafana's queries.</summary>
    private static IReadOnlyList<string> DashboardMetrics()
    {
        var dashboard = Manifests.Read("deploy/grafana/convservice-dashboard.json");
        var names = System.Text.RegularExpressions.Regex.Matches(dashboard, @"\b(?:convservice|http_server|dotnet)_[a-z_]+")
            .Select(m => m.Value)
            .Distinct()
            .ToArray();
        Assert.NotEmpty(names);
        return names;
    }

    [Fact]
    public async Task RefusalsAreCountedByStatus()
    {
        await using var service = ModelService.Create(null, ("ConvService:Models:RequestTimeoutMs", "200"), ("ConvService:Models:PoolSize", "1"));
        var executor = service.Repository.Find("lenet5-mnist")!.Served!.Executor;
        using var hold = new ManualResetEventSlim(false);
        executor.BeforeRun = () => hold.Wait();

        using var late = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(0)));
        Assert.Equal(HttpStatusCode.GatewayTimeout, late.StatusCode);
        hold.Set();

        var metrics = new PrometheusText(await service.Client.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics.Sum("convservice_refusals_total", "status=\"504\""));
        Assert.Equal(0, metrics.Sum("convservice_refusals_total", "status=\"503\""));
        Assert.Contains("convservice_refusals_total", DashboardMetrics());
    }
}
