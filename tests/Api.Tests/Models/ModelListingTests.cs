using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Models;

public sealed class ModelListingTests
{
    [Fact]
    public async Task TheShippedRepositoryServesLeNetAndResNetFeatures()
    {
        // The default folder: models/ next to the app, where the build copies both models.
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var models = await client.GetFromJsonAsync<JsonElement>("/api/models");

        var byName = models.EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        var lenet = byName["lenet5-mnist"];
        Assert.True(lenet.GetProperty("ready").GetBoolean());
        Assert.Equal("classify", lenet.GetProperty("task").GetString());
        Assert.Equal(61706, lenet.GetProperty("parameters").GetInt64());
        Assert.Equal([-1, 1, 28, 28], lenet.GetProperty("input").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));

        var resnet = byName["resnet18-features"];
        Assert.True(resnet.GetProperty("ready").GetBoolean(), resnet.ToString());
        Assert.Equal("embed", resnet.GetProperty("task").GetString());
        Assert.Equal([-1, 3, 224, 224], resnet.GetProperty("input").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));

        var details = await client.GetFromJsonAsync<JsonElement>("/api/models/resnet18-features");
        Assert.Equal([-1, 512, 1, 1], details.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal("preprocess.onnx", details.GetProperty("preprocessing").GetProperty("graph").GetString());
        Assert.Equal("shorter-side", details.GetProperty("preprocessing").GetProperty("resize").GetString());
    }

    [Fact]
    public async Task DetailsListEveryLayerWithItsShapeAndParameters()
    {
        await using var service = ModelService.Create();
        var details = await service.Client.GetFromJsonAsync<JsonElement>("/api/models/lenet5-mnist");

        Assert.Equal("input", details.GetProperty("inputs")[0].GetProperty("name").GetString());
        Assert.Equal("probabilities", details.GetProperty("outputs")[0].GetProperty("name").GetString());
        var layers = details.GetProperty("layers").EnumerateArray().ToArray();
        var conv1 = layers.Single(l => l.GetProperty("name").GetString() == "conv1");
        Assert.Equal([1, 6, 28, 28], conv1.GetProperty("outputShape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(156, conv1.GetProperty("parameters").GetInt64());
        Assert.Equal(61706, layers.Sum(l => l.GetProperty("parameters").GetInt64()));
        Assert.Equal(10, details.GetProperty("labels").GetArrayLength());
        Assert.Equal("fit-digit", details.GetProperty("preprocessing").GetProperty("resize").GetString());
    }

    [Fact]
    public async Task AnUnknownModelIsA404ListingTheModels()
    {
        await using var service = ModelService.Create();
        var response = await service.Client.GetAsync("/api/models/nope");
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("lenet5-mnist", problem.GetProperty("detail").GetString());
        Assert.Equal("lenet5-mnist", problem.GetProperty("models")[0].GetString());
    }

    [Fact]
    public async Task ABrokenFolderIsListedAsNotReadyWithItsReasonsAndAnswers503()
    {
        await using var service = ModelService.Create();
        var broken = Path.Combine(service.Folder, "broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "model.onnx"), "not a model");
        service.Repository.Scan();

        var models = await service.Client.GetFromJsonAsync<JsonElement>("/api/models");
        var entry = models.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "broken");
        Assert.False(entry.GetProperty("ready").GetBoolean());
        Assert.NotEqual(0, entry.GetProperty("problems").GetArrayLength());

        var response = await service.Client.PostAsync("/api/models/broken/predict", Forms.With(DigitImages.Png(0)));
        await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.Contains("Retry-After"));
        var lenet = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(0)));
        Assert.Equal(HttpStatusCode.OK, lenet.StatusCode);
    }

    [Fact]
    public async Task ANewFolderIsServedWithoutARestart()
    {
        await using var service = ModelService.Create(null, ("ConvService:Models:PollSeconds", "1"));
        var copy = Path.Combine(service.Folder, "lenet-copy");
        var staging = Path.Combine(service.Folder, ".staging");
        ModelService.CopyFolder(Path.Combine(service.Folder, "lenet5-mnist"), staging);
        Directory.Move(staging, copy);

        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await service.Client.GetAsync("/api/models/lenet-copy");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var predict = await service.Client.PostAsync("/api/models/lenet-copy/predict", Forms.With(DigitImages.Png(0)));
                Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The new folder was not picked up within 10 s.");
    }
}
