using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Models;

public sealed class UploadTests
{
    private const string Key = "test-key-123";

    private static byte[] LeNetBytes => File.ReadAllBytes(Path.Combine(ModelService.ShippedModels, "lenet5-mnist", "model.onnx"));

    private static HttpRequestMessage Put(string name, byte[]? model, string? config = null, string? key = Key)
    {
        var form = new MultipartFormDataContent();
        if (model is not null)
        {
            var file = new ByteArrayContent(model);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "model", "model.onnx");
        }

        if (config is not null)
        {
            var json = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(config));
            json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            form.Add(json, "config", "model.json");
        }

        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/models/{name}") { Content = form };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    private static ModelService WithKey(params (string, string)[] settings) =>
        ModelService.Create(null, [("ConvService:Models:ApiKey", Key), .. settings]);

    [Fact]
    public async Task WithoutAConfiguredKeyUploadsAreDisabled()
    {
        await using var service = ModelService.Create();
        var response = await service.Client.SendAsync(Put("m", LeNetBytes));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("ApiKey", problem.GetProperty("detail").GetString());
        var delete = await service.Client.DeleteAsync("/api/models/lenet5-mnist");
        await Problems.AssertProblemAsync(delete, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AMissingKeyIs401AndAWrongOne403()
    {
        await using var service = WithKey();
        await Problems.AssertProblemAsync(await service.Client.SendAsync(Put("m", LeNetBytes, key: null)), HttpStatusCode.Unauthorized);
        await Problems.AssertProblemAsync(await service.Client.SendAsync(Put("m", LeNetBytes, key: "test-key-124")), HttpStatusCode.Forbidden);
        await Problems.AssertProblemAsync(await service.Client.SendAsync(Put("m", LeNetBytes, key: "x")), HttpStatusCode.Forbidden);
        var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/models/lenet5-mnist");
        await Problems.AssertProblemAsync(await service.Client.SendAsync(delete), HttpStatusCode.Unauthorized);
        Assert.False(Directory.Exists(Path.Combine(service.Folder, "m")));
    }

    [Fact]
    public async Task TheKeyIsCheckedBeforeTheBodyTheNameOrTheContentType()
    {
        await using var service = WithKey();

        // Not multipart, an invalid name, no file: without the key the only answer is 401, which tells nothing of them.
        var notMultipart = new HttpRequestMessage(HttpMethod.Put, "/api/models/Bad%20Name") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        var problem = await Problems.AssertProblemAsync(await service.Client.SendAsync(notMultipart), HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString());
        await Problems.AssertProblemAsync(await service.Client.SendAsync(Put("Bad Name", null, key: null)), HttpStatusCode.Unauthorized);
        await Problems.AssertProblemAsync(await service.Client.SendAsync(Put("Bad Name", null, key: "wrong")), HttpStatusCode.Forbidden);

        // With the key, the same requests reach their real refusals.
        var keyed = new HttpRequestMessage(HttpMethod.Put, "/api/models/Bad%20Name") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        keyed.Headers.Add("X-Api-Key", Key);
        var refused = await service.Client.SendAsync(keyed);
        Assert.True((int)refused.StatusCode is 400 or 415, $"{(int)refused.StatusCode}");
    }

    [Fact]
    public async Task AnUploadCreatesReplacesAndDeleteRemovesAModel()
    {
        await using var service = WithKey();
        var config = File.ReadAllText(Path.Combine(ModelService.ShippedModels, "lenet5-mnist", "model.json")).Replace("\"version\": \"1\"", "\"version\": \"2\"");

        var created = await service.Client.SendAsync(Put("digits", LeNetBytes, config));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/models/digits", created.Headers.Location?.OriginalString);
        var details = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(details.GetProperty("ready").GetBoolean());
        Assert.Equal("2", details.GetProperty("version").GetString());
        Assert.True(File.Exists(Path.Combine(service.Folder, "digits", "model.onnx")));

        var predict = await service.Client.PostAsync("/api/models/digits/predict", Forms.With(DigitImages.Png(1)));
        var result = await predict.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(DigitImages.Digits.Labels[1], result.GetProperty("predictions")[0].GetProperty("index").GetInt32());

        var replaced = await service.Client.SendAsync(Put("digits", LeNetBytes));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("2", (await replaced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString());

        var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/models/digits");
        delete.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.NoContent, (await service.Client.SendAsync(delete)).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(service.Folder, "digits")));
        await Problems.AssertProblemAsync(await service.Client.GetAsync("/api/models/digits"), HttpStatusCode.NotFound);
        var again = new HttpRequestMessage(HttpMethod.Delete, "/api/models/digits");
        again.Headers.Add("X-Api-Key", Key);
        await Problems.AssertProblemAsync(await service.Client.SendAsync(again), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ABadUploadIs422ListingEveryReasonAndTheOldModelKeepsServing()
    {
        await using var service = WithKey();
        var badConfig = """{"task":"sing","input":{"channels":3},"preprocessing":{"resize":"zoom","invert":"sometimes"},"labels":["a","b"]}""";
        var response = await service.Client.SendAsync(Put("lenet5-mnist", LeNetBytes, badConfig));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var problems = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.True(problems.Length >= 5, string.Join(" | ", problems));

        var garbage = await service.Client.SendAsync(Put("lenet5-mnist", [0x08, 0x07, 0x12, 0x01, 0x00]));
        await Problems.AssertProblemAsync(garbage, HttpStatusCode.UnprocessableEntity);

        var predict = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(1)));
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        Assert.Equal(LeNetBytes, File.ReadAllBytes(Path.Combine(service.Folder, "lenet5-mnist", "model.onnx")));
    }

    [Fact]
    public async Task AnOversizeModelIs413()
    {
        await using var service = WithKey(("ConvService:Models:MaxModelBytes", "4096"));
        var response = await service.Client.SendAsync(Put("big", new byte[5000]));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MaxModelBytes", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("a..b")]
    [InlineData(".hidden")]
    [InlineData("a%2Fb")]
    public async Task BadNamesAreRefused(string name)
    {
        await using var service = WithKey();
        var response = await service.Client.SendAsync(Put(name, LeNetBytes));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("not a valid model name", problem.GetProperty("detail").GetString());
        Assert.Single(Directory.GetDirectories(service.Folder));
    }

    [Fact]
    public async Task AnUploadWithoutAFileIs400()
    {
        await using var service = WithKey();
        await Problems.AssertProblemAsync(await service.Client.SendAsync(Put("m", null, "{}")), HttpStatusCode.BadRequest);
    }
}
