using System.Net;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Deployment;

public sealed class CrossOriginTests
{
    private const string Allowed = "https://app.example.com";

    [Fact]
    public async Task APreflightFromAListedOriginMayPostWithTheApiKey()
    {
        await using var factory = ServiceFactory.Create(("ConvService:Cors:Origins", $"{Allowed}, https://other.example.org"));
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(Preflight("/api/filter", Allowed, "POST", "x-api-key,content-type"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Allowed, Single(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Single(response, "Access-Control-Allow-Methods"));
        Assert.Contains("x-api-key", Single(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task APreflightFromAnOriginNotListedGetsNoCorsHeaders()
    {
        await using var factory = ServiceFactory.Create(("ConvService:Cors:Origins", Allowed));
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(Preflight("/api/filter", "https://evil.example.net", "POST", "content-type"));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task NoOriginIsAllowedByDefault()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(Preflight("/api/kernels", Allowed, "GET", null));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AWildcardOpensTheReadOnlyGetsOnly()
    {
        await using var factory = ServiceFactory.Create(("ConvService:Cors:Origins", "*"));
        using var client = factory.CreateClient();

        using var get = await client.SendAsync(Preflight("/api/kernels", "https://anyone.example", "GET", "content-type"));
        Assert.Equal("*", Single(get, "Access-Control-Allow-Origin"));

        using var post = await client.SendAsync(Preflight("/api/filter", "https://anyone.example", "POST", "content-type"));
        Assert.False(post.Headers.Contains("Access-Control-Allow-Methods") && Single(post, "Access-Control-Allow-Methods").Contains("POST"));
    }

    [Fact]
    public async Task AnAllowedCallExposesTheHeadersTheApiSets()
    {
        await using var factory = ServiceFactory.Create(("ConvService:Cors:Origins", Allowed), ("ConvService:Replica", "replica-a"));
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/filter/banks/s/image");
        request.Headers.Add("Origin", Allowed);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Allowed, Single(response, "Access-Control-Allow-Origin"));
        var exposed = Single(response, "Access-Control-Expose-Headers");
        foreach (var header in new[] { "Server-Timing", "X-Tile-Layout", "X-Layer-Name", "X-Replica" })
        {
            Assert.Contains(header, exposed, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static HttpRequestMessage Preflight(string path, string origin, string method, string? headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return request;
    }

    private static string Single(HttpResponseMessage response, string header) =>
        string.Join(",", response.Headers.GetValues(header));
}
