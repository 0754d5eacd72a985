using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Models;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Classifiers;

/// <summary>Classifiers trained over HTTP on real texture patches, then used through the ordinary model endpoints.</summary>
public sealed class ClassifiersApiTests
{
    private const string Key = "test-key-123";

    private static ModelService WithKey(string[]? models = null, params (string, string)[] settings) =>
        ModelService.Create(null, models, [("ConvService:Models:ApiKey", Key), .. settings]);

    private static (string Label, byte[] Png)[] Patches(int perClass) =>
    [
        .. Enumerable.Range(0, perClass).Select(i => ("brick", PatchImages.Patch("brick.png", i * 3))),
        .. Enumerable.Range(0, perClass).Select(i => ("grass", PatchImages.Patch("grass.png", i * 3))),
    ];

    private static HttpRequestMessage Train(string name, IEnumerable<(string Label, byte[] Png)> images, string? key = Key, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (label, png) in images)
        {
            var file = new ByteArrayContent(png);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "image", $"{label}.png");
            form.Add(new StringContent(label), "label");
        }

        foreach (var (field, value) in fields)
        {
            form.Add(new StringContent(value), field);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/classifiers/{name}") { Content = form };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    private static async Task<JsonElement> PredictAsync(HttpClient client, string name, byte[] png)
    {
        var response = await client.PostAsync($"/api/models/{name}/predict", Forms.With(png));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static string TopLabel(JsonElement prediction) => prediction.GetProperty("predictions")[0].GetProperty("label").GetString()!;

    [Fact]
    public async Task TrainedClassifierPredictsUnseenPatchesThroughPredictAndV2AndSurvivesARestart()
    {
        await using var service = WithKey();
        var response = await service.Client.SendAsync(Train("textures", Patches(3), fields: [("features", "s"), ("method", "centroid")]));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var report = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["brick", "grass"], report.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(6, report.GetProperty("confusion").EnumerateArray().Sum(row => row.EnumerateArray().Sum(v => v.GetInt32())));
        Assert.InRange(report.GetProperty("leaveOneOutAccuracy").GetDouble(), 0.66, 1.0);
        Assert.True(report.GetProperty("modelBytes").GetInt64() > 0);

        Assert.Equal("brick", TopLabel(await PredictAsync(service.Client, "textures", PatchImages.Patch("brick.png", 60))));
        Assert.Equal("grass", TopLabel(await PredictAsync(service.Client, "textures", PatchImages.Patch("grass.png", 61))));
        var listed = await service.Client.GetFromJsonAsync<JsonElement>("/api/models");
        Assert.Contains(listed.EnumerateArray(), m => m.GetProperty("name").GetString() == "textures" && m.GetProperty("task").GetString() == "classify");
        var infer = await service.Client.PostAsJsonAsync(
            "/v2/models/textures/infer",
            new { inputs = new[] { new { name = "image", shape = new[] { 1, 1, 64, 64 }, datatype = "FP32", data = PatchImages.Pixels("grass.png", 61) } } });
        var scores = (await infer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(HttpStatusCode.OK, infer.StatusCode);
        Assert.True(scores[1] > scores[0], $"v2 scores {string.Join(", ", scores)}");
        var stored = await service.Client.GetFromJsonAsync<JsonElement>("/api/classifiers/textures");
        Assert.Equal(report.GetProperty("leaveOneOutAccuracy").GetDouble(), stored.GetProperty("leaveOneOutAccuracy").GetDouble());

        // A second service on the same folder is the service after a restart.
        await using var restarted = ServiceFactory.Create(("ConvService:Models:Path", service.Folder), ("ConvService:Models:PollSeconds", "0"));
        using var client = restarted.CreateClient();
        Assert.Equal("brick", TopLabel(await PredictAsync(client, "textures", PatchImages.Patch("brick.png", 60))));
        Assert.Equal("s", (await client.GetFromJsonAsync<JsonElement>("/api/classifiers/textures")).GetProperty("features").GetString());
    }

    [Fact]
    public async Task AnArchiveWithAFolderPerClassTrainsToo()
    {
        await using var service = WithKey();
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (label, png, i) in Patches(2).Select((p, i) => (p.Label, p.Png, i)))
            {
                await using var entry = archive.CreateEntry($"set/{label}/{i}.png").Open();
                await entry.WriteAsync(png);
            }
        }

        var form = new MultipartFormDataContent { { new ByteArrayContent(zip.ToArray()), "archive", "set.zip" }, { new StringContent("s"), "features" }, { new StringContent("knn"), "method" }, { new StringContent("1"), "k" } };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/classifiers/zipped") { Content = form };
        request.Headers.Add("X-Api-Key", Key);
        var response = await service.Client.SendAsync(request);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal([2, 2], report.GetProperty("imagesPerClass").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(1, report.GetProperty("k").GetInt32());
    }

    [Fact]
    public async Task TrainingNeedsTheKey()
    {
        await using var service = WithKey();
        await Problems.AssertProblemAsync(await service.Client.SendAsync(Train("t", Patches(1), key: null)), HttpStatusCode.Unauthorized);
        await Problems.AssertProblemAsync(await service.Client.SendAsync(Train("t", Patches(1), key: "wrong")), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task OneClassTooManyImagesAndUnknownFeaturesAreRefusedNamingTheReason()
    {
        await using var service = WithKey(null, ("ConvService:Classifiers:MaxImages", "3"));
        var oneClass = await Problems.AssertProblemAsync(
            await service.Client.SendAsync(Train("t", Patches(1).Take(1), fields: [("features", "s")])), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("at least 2 classes", oneClass.GetProperty("detail").GetString());
        var tooMany = await Problems.AssertProblemAsync(await service.Client.SendAsync(Train("t", Patches(2), fields: [("features", "s")])), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MaxImages", tooMany.GetProperty("detail").GetString());
        var unknown = await Problems.AssertProblemAsync(await service.Client.SendAsync(Train("t", Patches(1), fields: [("features", "sift")])), HttpStatusCode.BadRequest);
        Assert.Contains("mr8", unknown.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ACorruptImageIsReportedByIndexAndThePreviousVersionKeepsServing()
    {
        await using var service = WithKey();
        var first = await service.Client.SendAsync(Train("textures", Patches(2), fields: [("features", "s")]));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var images = Patches(2);
        images[2] = ("grass", "not an image"u8.ToArray());
        var refused = await Problems.AssertProblemAsync(await service.Client.SendAsync(Train("textures", images, fields: [("features", "mr8")])), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, refused.GetProperty("images")[0].GetProperty("index").GetInt32());

        var kept = await service.Client.GetFromJsonAsync<JsonElement>("/api/classifiers/textures");
        Assert.Equal("1", kept.GetProperty("version").GetString());
        Assert.Equal("s", kept.GetProperty("features").GetString());
        Assert.Equal("brick", TopLabel(await PredictAsync(service.Client, "textures", PatchImages.Patch("brick.png", 60))));

        // Nothing of a refused first training is stored.
        await Problems.AssertProblemAsync(await service.Client.SendAsync(Train("never", images, fields: [("features", "s")])), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/api/models/never")).StatusCode);
        var listed = await service.Client.GetFromJsonAsync<JsonElement>("/api/classifiers");
        Assert.Equal(["textures"], listed.EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        // The classifier list and delete leave other models alone.
        var deleteLeNet = new HttpRequestMessage(HttpMethod.Delete, "/api/classifiers/lenet5-mnist");
        deleteLeNet.Headers.Add("X-Api-Key", Key);
        await Problems.AssertProblemAsync(await service.Client.SendAsync(deleteLeNet), HttpStatusCode.NotFound);
        var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/classifiers/textures");
        delete.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.NoContent, (await service.Client.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/api/models/textures")).StatusCode);
    }

    [Fact]
    public async Task AResNetClassifierAnswersThroughPredictAndIsDeletedLikeAnyModel()
    {
        await using var service = WithKey(["resnet18-features"]);
        var response = await service.Client.SendAsync(Train("photos", Patches(2), fields: [("method", "logistic"), ("iterations", "50")]));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        Assert.Equal(512, JsonDocument.Parse(text).RootElement.GetProperty("featureLength").GetInt32());

        var prediction = await PredictAsync(service.Client, "photos", PatchImages.Patch("grass.png", 62));
        Assert.Equal("grass", TopLabel(prediction));
        var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/models/photos");
        delete.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.NoContent, (await service.Client.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/api/classifiers/photos")).StatusCode);
    }
}
