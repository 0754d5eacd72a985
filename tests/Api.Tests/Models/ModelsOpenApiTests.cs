using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Models;

public sealed class ModelsOpenApiTests
{
    [Fact]
    public async Task TheDocumentDescribesTheModelAndV2EndpointsAndTheV2ErrorForm()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var paths = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        foreach (var path in new[] { "/api/models", "/api/models/{name}", "/api/models/{name}/predict", "/api/models/{name}/embed", "/api/models/{name}/activations", "/v2/health/live", "/v2/health/ready", "/v2/models/{name}", "/v2/models/{name}/ready", "/v2/models/{name}/infer" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var infer = paths.GetProperty("/v2/models/{name}/infer").GetProperty("post");
        Assert.Contains("{\"error\"", infer.GetProperty("summary").GetString());
        var put = paths.GetProperty("/api/models/{name}").GetProperty("put");
        foreach (var status in new[] { "401", "403", "413", "422" })
        {
            Assert.True(put.GetProperty("responses").TryGetProperty(status, out _), status);
        }
    }
}
