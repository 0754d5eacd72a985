using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Filters;

public sealed class KernelsAndBanksTests
{
    [Fact]
    public async Task KernelListShowsEveryNamedKernelWithItsMatrix()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var kernels = await client.GetFromJsonAsync<JsonElement>("/api/kernels");
        var byName = kernels.EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!);
        foreach (var name in new[] { "identity", "box", "shift-left", "shift-right", "shift-up", "shift-down", "sharpen", "sobel-x", "sobel-y", "sobel-magnitude", "laplacian", "gaussian" })
        {
            Assert.True(byName.ContainsKey(name), name);
            Assert.False(string.IsNullOrWhiteSpace(byName[name].GetProperty("description").GetString()));
        }

        var sobel = byName["sobel-x"].GetProperty("matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        Assert.Equal([[1f, 0, -1], [2f, 0, -2], [1f, 0, -1]], sobel);
        Assert.True(byName["gaussian"].GetProperty("separable").GetBoolean());
        Assert.True(byName["box"].GetProperty("separable").GetBoolean());
        Assert.False(byName["laplacian"].GetProperty("separable").GetBoolean());
    }

    [Fact]
    public async Task BanksAreListedWithTheirFilterCounts()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var banks = (await client.GetFromJsonAsync<JsonElement>("/api/filter/banks")).EnumerateArray()
            .ToDictionary(b => b.GetProperty("name").GetString()!);
        Assert.Equal(48, banks["lm"].GetProperty("filters").GetArrayLength());
        Assert.Equal(13, banks["s"].GetProperty("filters").GetArrayLength());
        Assert.Equal(38, banks["mr8"].GetProperty("filters").GetArrayLength());
        Assert.Equal(8, banks["mr8"].GetProperty("responses").GetArrayLength());
    }

    [Fact]
    public async Task BankImageIsAGridOfItsFilters()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/api/filter/banks/lm/image");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var layout = JsonDocument.Parse(response.Headers.GetValues("X-Tile-Layout").Single()).RootElement;
        Assert.Equal(48, layout.GetProperty("tiles").GetArrayLength());
        using var image = Image.Load<L8>(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(layout.GetProperty("columns").GetInt32() * 49 + (layout.GetProperty("columns").GetInt32() - 1) * 2, image.Width);

        await Problems.AssertProblemAsync(await client.GetAsync("/api/filter/banks/nope/image"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Mr8GivesEightResponseStatisticsForATexture()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var response = await client.PostAsync("/api/filter/bank", Forms.With(TestImages.Sample("brick.png"), fields: [("bank", "mr8"), ("format", "json")]));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var json = JsonDocument.Parse(text).RootElement;
        var responses = json.GetProperty("responses").EnumerateArray().ToList();
        Assert.Equal(8, responses.Count);
        Assert.All(responses, r => Assert.True(r.GetProperty("energy").GetDouble() > 0));
        Assert.Equal(256, json.GetProperty("width").GetInt32()); // scaled down to MaxBankImageSide
    }

    [Fact]
    public async Task BankResponsesComeAsATiledPng()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var response = await client.PostAsync("/api/filter/bank", Forms.With(TestImages.GradientPng(40, 30), fields: ("bank", "s")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var layout = JsonDocument.Parse(response.Headers.GetValues("X-Tile-Layout").Single()).RootElement;
        Assert.Equal(13, layout.GetProperty("tiles").GetArrayLength());
        Assert.Equal(40, layout.GetProperty("tileWidth").GetInt32());
    }

    [Fact]
    public async Task UnknownBankIsRefused()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var response = await client.PostAsync("/api/filter/bank", Forms.With(TestImages.GradientPng(8, 8), fields: ("bank", "gabor")));
        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
