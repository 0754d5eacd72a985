using System.Net;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task DocumentDescribesEveryEndpointWithSummaryAndErrors()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/kernels", "/api/filter", "/api/filter/matrix", "/api/filter/bank", "/api/filter/banks" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()), $"{operation.Name} {path.Name}");
                if (operation.Name == "post")
                {
                    Assert.True(operation.Value.GetProperty("responses").TryGetProperty("400", out _), $"{operation.Name} {path.Name} documents 400");
                }
            }
        }
    }

    [Fact]
    public async Task SwaggerUiIsServed()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
