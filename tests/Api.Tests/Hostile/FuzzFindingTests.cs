using System.Net;
using System.Net.Http.Headers;
using ConvService.Api.Tests.Models;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hostile;

/// <summary>
/// Every input the fuzzing harnesses (fuzz/) found to crash or hang, sent through the endpoint that reads it. The
/// file name's prefix names the harness: image, onnx, spec or v2. Each must get a 4xx, never a 5xx.
/// </summary>
public sealed class FuzzFindingTests
{
    private const string Key = "fuzz-key";

    public static TheoryData<string> Findings() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "FuzzFindings")).Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Findings))]
    public async Task EachFindingIsRefusedWithA4xx(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "FuzzFindings", file));
        await using var service = ModelService.Create(null, null, ("ConvService:Models:ApiKey", Key));
        using var response = file.Split('-')[0] switch
        {
            "image" => await service.Client.PostAsync("/api/filter", Forms.With(bytes, file, ("kernel", "box"))),
            "onnx" => await service.Client.SendAsync(Upload(bytes)),
            "spec" => await service.Client.PostAsync("/api/networks/report", Json(bytes)),
            "v2" => await service.Client.PostAsync("/v2/models/lenet5-mnist/infer", Json(bytes)),
            var other => throw new InvalidOperationException($"Unknown harness prefix '{other}' on {file}."),
        };
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{file} got {status}: {await response.Content.ReadAsStringAsync()}");
    }

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static HttpRequestMessage Upload(byte[] onnx)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(onnx);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "model", "model.onnx");
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/models/fuzzed") { Content = form };
        request.Headers.Add("X-Api-Key", Key);
        return request;
    }
}
