using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Models;

/// <summary>The lecture's networks, built from their specs with seeded weights, serve activation maps like any model.</summary>
public sealed class LectureNetworksTests
{
    private static async Task WaitUntilReadyAsync(HttpClient client, string name)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var response = await client.GetAsync($"/v2/models/{name}/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{name} was not registered within 60 s");
    }

    [Fact]
    public async Task ResNet18AndLeNet5FromTheirSpecsServeActivationMapsNamedAsTheReportNamesLayers()
    {
        await using var service = ModelService.Create(settings: ("ConvService:Models:LectureNetworks", "lenet5,resnet18"));
        var client = service.Client;
        await WaitUntilReadyAsync(client, "lenet5");
        await WaitUntilReadyAsync(client, "resnet18");

        // The report names the first residual block "residual1"; the served graph has a layer of that name.
        var report = await client.GetFromJsonAsync<JsonElement>("/api/networks/resnet18/report");
        var reportNames = report.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()).ToHashSet();
        var layers = await client.GetFromJsonAsync<JsonElement>("/api/models/resnet18/activations");
        var servedNames = layers.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()).ToList();
        Assert.Contains("conv1", servedNames);
        Assert.True(servedNames.Count(reportNames.Contains) >= 10, string.Join(", ", servedNames));

        var png = await client.PostAsync("/api/models/resnet18/activations", Forms.With(TestImages.Sample("chelsea.png"), fields: ("layer", "conv1")));
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("1x64x112x112", png.Headers.GetValues("X-Layer-Shape").Single());
        using var grid = Image.Load<L8>(await png.Content.ReadAsByteArrayAsync());
        Assert.Equal(8 * 112 + 7 * 2, grid.Width); // 64 maps in 8 columns of 112 px with 2 px gaps

        var json = await client.PostAsync("/api/models/lenet5/activations", Forms.With(TestImages.GradientPng(40, 40), fields: [("layer", "conv2"), ("format", "json")]));
        var maps = await json.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([1, 16, 10, 10], maps.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.True(maps.GetProperty("max").GetSingle() > maps.GetProperty("min").GetSingle());
    }

    [Fact]
    public async Task AnUnknownNetworkNameIsLoggedAndTheOthersStillLoad()
    {
        var logs = new CapturedLogs();
        await using var service = ModelService.Create(logs, null, ("ConvService:Models:LectureNetworks", "nosuchnet,lenet5"));
        await WaitUntilReadyAsync(service.Client, "lenet5");
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/v2/models/nosuchnet/ready")).StatusCode);

        // The networks are registered in the order they are listed, so the warning is written before lenet5 is ready.
        var warning = Assert.Single(logs.Entries, e => e.Category.EndsWith(".LectureNetworksHost", StringComparison.Ordinal) && e.Level == LogLevel.Warning);
        Assert.Contains("nosuchnet", warning.Message);
        Assert.Contains("not a built-in network", warning.Message);
    }
}
