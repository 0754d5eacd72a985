using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using ConvService.Api.Tests.Support;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Tests.Networks;

public sealed class NetworksApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ListGivesEveryBuiltInWithParametersAndInputSize()
    {
        using var json = await GetJson("/api/networks");
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(14, items.Count);
        var vgg16 = items.Single(i => i.GetProperty("name").GetString() == "vgg16");
        Assert.Equal(138_357_544, vgg16.GetProperty("parameters").GetInt64());
        Assert.Equal("224x224x3", vgg16.GetProperty("inputShape").GetString());
        Assert.False(string.IsNullOrEmpty(vgg16.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task BuiltInSpecCanBeSentBackForTheSameReport()
    {
        var spec = await client.GetStringAsync("/api/networks/alexnet");
        Assert.Contains("\"type\":\"conv\"", spec);
        Assert.Contains("\"size\":11", spec);
        using var response = await client.PostAsync("/api/networks/report", Json(spec));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(62_378_344, report.RootElement.GetProperty("totals").GetProperty("parameters").GetInt64());
    }

    [Fact]
    public async Task Vgg16ReportHasTheLecturesParametersAndTheExactMemory()
    {
        using var json = await GetJson("/api/networks/vgg16/report");
        var totals = json.RootElement.GetProperty("totals");
        Assert.Equal(138_357_544, totals.GetProperty("parameters").GetInt64());
        Assert.Equal(15_237_608, totals.GetProperty("activations").GetInt64());
        Assert.Equal(121_900_864, totals.GetProperty("trainingActivationBytes").GetInt64());
    }

    [Theory]
    [InlineData("/api/networks/alexnet/report?format=markdown", null)]
    [InlineData("/api/networks/alexnet/report", "text/markdown")]
    public async Task MarkdownOnRequest(string url, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await client.SendAsync(request);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("| 0 | CONV1 | conv | 227x227x3 | 55x55x96 | 34,848 |", text);
    }

    [Fact]
    public async Task CsvOnRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/networks/lenet5/report");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await client.SendAsync(request);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(",61706,", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostedLectureExampleGives32x32x10And760Parameters()
    {
        using var response = await client.PostAsync("/api/networks/report",
            Json("""{"input": [3, 32, 32], "layers": [{"type": "conv", "filters": 10, "size": 5, "stride": 1, "padding": 2}]}"""));
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var conv = report.RootElement.GetProperty("layers")[1];
        Assert.Equal("32x32x10", conv.GetProperty("outputShape").GetString());
        Assert.Equal(760, conv.GetProperty("parameters").GetInt64());
        Assert.Equal("(32 + 2*2 - 5)/1 + 1 = 32", conv.GetProperty("formula").GetString());
    }

    [Fact]
    public async Task StrideThatDoesNotFitIs422NamingTheLayer()
    {
        var problem = await Problem("/api/networks/report",
            """{"input": [1, 7, 7], "layers": [{"type": "relu"}, {"type": "conv", "name": "c3", "filters": 1, "size": 3, "stride": 3}]}""",
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Stride does not fit", problem.GetProperty("title").GetString());
        Assert.Contains("layers[1] ('c3')", problem.GetProperty("detail").GetString());
        Assert.Contains("(7 - 3)/3 + 1 = 2.33", problem.GetProperty("detail").GetString());
        Assert.Equal("1", problem.GetProperty("layerIndex").GetString());
        Assert.Equal("c3", problem.GetProperty("layerName").GetString());
    }

    [Fact]
    public async Task FitFloorOnRequestRoundsDown()
    {
        using var response = await client.PostAsync("/api/networks/report?fit=floor",
            Json("""{"input": [1, 7, 7], "layers": [{"type": "conv", "filters": 1, "size": 3, "stride": 3}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"outputShape\":\"2x2x1\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownLayerTypeIs400NamingTheLayerIndex()
    {
        var problem = await Problem("/api/networks/report",
            """{"input": [3, 8, 8], "layers": [{"type": "conv", "filters": 2, "size": 3}, {"type": "maxpool", "size": 2}]}""",
            HttpStatusCode.BadRequest);
        Assert.Equal("Unknown layer type", problem.GetProperty("title").GetString());
        Assert.Contains("layers[1] ('maxpool1')", problem.GetProperty("detail").GetString());
        Assert.Equal("1", problem.GetProperty("layerIndex").GetString());
    }

    [Fact]
    public async Task WrongJsonTypeIs400NamingTheLayerIndexAndName()
    {
        var problem = await Problem("/api/networks/report",
            """{"input": [3, 8, 8], "layers": [{"type": "conv", "filters": 2, "size": 3}, {"type": "fc", "name": "head", "units": "ten"}]}""",
            HttpStatusCode.BadRequest);
        Assert.Contains("layers[1] ('head')", problem.GetProperty("detail").GetString());
        Assert.Contains("units", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SyntaxErrorIs400()
    {
        var problem = await Problem("/api/networks/report", "{\"input\": [3, 8, 8], \"layers\": [", HttpStatusCode.BadRequest);
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ChannelMismatchInAddIs422()
    {
        var problem = await Problem("/api/networks/report",
            """{"input": [16, 8, 8], "layers": [{"type": "branches", "name": "res", "merge": "add", "branches": [[{"type": "conv", "filters": 32, "size": 1}], []]}]}""",
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Channel mismatch in add", problem.GetProperty("title").GetString());
        Assert.Contains("layers[0] ('res')", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SpatialMismatchInConcatIs422()
    {
        var problem = await Problem("/api/networks/report",
            """{"input": [16, 8, 8], "layers": [{"type": "branches", "branches": [[{"type": "conv", "filters": 4, "size": 3}], [{"type": "conv", "filters": 4, "size": 1}]]}]}""",
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Spatial mismatch in concat", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ZeroSizeIs422()
    {
        var problem = await Problem("/api/networks/report",
            """{"input": [3, 8, 8], "layers": [{"type": "pool", "size": 0}]}""", HttpStatusCode.UnprocessableEntity);
        Assert.Contains("layers[0] ('pool1')", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task MoreLayersThanTheConfiguredLimitIs413()
    {
        await using var limited = factory.WithWebHostBuilder(b => b.UseSetting("ConvService:Networks:MaxLayers", "3"));
        using var limitedClient = limited.CreateClient();
        using var response = await limitedClient.PostAsync("/api/networks/report",
            Json("""{"input": [1, 4, 4], "layers": [{"type": "relu"}, {"type": "relu"}, {"type": "relu"}, {"type": "relu"}]}"""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("layers[3] ('relu4')", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InvalidLimitsStopStartUp()
    {
        var error = await StartupHost.StartAsync(("ConvService:Networks:MaxLayers", "0"));
        Assert.NotNull(error);
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.True(validation is not null, error.ToString());
        Assert.Contains("MaxLayers", validation.Message);
    }

    [Fact]
    public async Task UnknownNetworkIs404ListingTheNames()
    {
        using var response = await client.GetAsync("/api/networks/lenet6/report");
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("resnet152", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task NonJsonBodyIs415()
    {
        using var response = await client.PostAsync("/api/networks/report", new StringContent("input 3 8 8", Encoding.UTF8, "text/plain"));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownFormatIs400()
    {
        using var response = await client.GetAsync("/api/networks/alexnet/report?format=xml");
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("markdown", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ResNetVariantOnRequestChangesTheMultiplyAdds()
    {
        using var paper = await GetJson("/api/networks/resnet50/report");
        using var v15 = await GetJson("/api/networks/resnet50/report?resnet=v1.5");
        var paperMacs = paper.RootElement.GetProperty("totals").GetProperty("macs").GetInt64();
        var v15Macs = v15.RootElement.GetProperty("totals").GetProperty("macs").GetInt64();
        Assert.InRange(paperMacs / 1e9, 3.7, 3.9);
        Assert.InRange(v15Macs / 1e9, 4.0, 4.2);
    }

    [Fact]
    public async Task CompareNamesAndSpecsSideBySide()
    {
        using var response = await client.PostAsync("/api/networks/compare", Json("""
            {"names": ["alexnet", "vgg16", "googlenet", "resnet152"],
             "specs": [{"name": "tiny", "input": [3, 32, 32], "layers": [{"type": "conv", "filters": 10, "size": 5, "padding": 2}]}]}
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var networks = json.RootElement.GetProperty("networks").EnumerateArray().ToList();
        Assert.Equal(["alexnet", "vgg16", "googlenet", "resnet152", "tiny"], networks.Select(n => n.GetProperty("name").GetString()));
        Assert.Equal(760, networks[4].GetProperty("parameters").GetInt64());
    }

    [Fact]
    public async Task CompareNamesTheNetworkAndLayerAtFault()
    {
        var problem = await Problem("/api/networks/compare",
            """{"specs": [{"name": "bad", "input": [1, 7, 7], "layers": [{"type": "conv", "filters": 1, "size": 3, "stride": 3}]}]}""",
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Network 0 ('bad')", problem.GetProperty("detail").GetString());
        Assert.Contains("layers[0] ('conv1')", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ConnectivityDefaultsToTheLecturesSlides()
    {
        using var json = await GetJson("/api/networks/connectivity");
        Assert.Equal(120_000_000, json.RootElement.GetProperty("fullyConnectedWeights").GetInt64());
        Assert.Equal(100_000, json.RootElement.GetProperty("locallyConnectedWeightsLecture").GetInt64());
        Assert.Equal(10_000, json.RootElement.GetProperty("convolutionalWeightsLecture").GetInt64());
    }

    [Fact]
    public async Task ExactFitOnABuiltInThatNeedsFloorIs422()
    {
        using var response = await client.GetAsync("/api/networks/googlenet/report?fit=exact");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("(224 + 2*3 - 7)/2 + 1 = 112.5", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConnectivityWithANonNumberIs400()
    {
        using var response = await client.GetAsync("/api/networks/connectivity?units=many");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheNetworksEndpoints()
    {
        var document = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/networks/report", document);
        Assert.Contains("PostNetworkReport", document);
        Assert.Contains("/api/networks/compare", document);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<JsonDocument> GetJson(string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> Problem(string url, string body, HttpStatusCode status)
    {
        using var response = await client.PostAsync(url, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }
}
