using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Filters;

public sealed class ComposeTests
{
    private static float[][] Matrix(JsonElement e) =>
        e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();

    [Fact]
    public async Task TwoOneDimensionalBoxesComposeIntoTheTwoDimensionalBox()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/kernels/compose", new
        {
            kernels = new object[] { new { matrix = new[] { new[] { 1.0, 1, 1 } } }, new { matrix = new[] { new[] { 1.0 }, new[] { 1.0 }, new[] { 1.0 } } } },
        });
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, result.GetProperty("rows").GetInt32());
        Assert.All(Matrix(result.GetProperty("matrix")).SelectMany(r => r), v => Assert.Equal(1f, v));
        Assert.Equal("1x3 * 3x1 = 3x3", result.GetProperty("formula").GetString());
    }

    [Fact]
    public async Task FilteringWithTheCompositionEqualsFilteringTwice()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var input = LectureMatrix.F();
        var composed = await (await client.PostAsJsonAsync("/api/kernels/compose", new { kernels = new object[] { new { kernel = "box" }, new { kernel = "sharpen" } } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var once = await (await client.PostAsJsonAsync("/api/filter/matrix", new { input, matrix = Matrix(composed.GetProperty("matrix")), border = "zero", op = "convolve" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var first = await (await client.PostAsJsonAsync("/api/filter/matrix", new { input, kernel = "box", border = "zero", op = "convolve" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var twice = await (await client.PostAsJsonAsync("/api/filter/matrix", new { input = Matrix(first.GetProperty("output")), kernel = "sharpen", border = "zero", op = "convolve" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        // Zero borders cut the first result off at the edge, so only the interior (2 pixels in) must agree.
        var a = Matrix(once.GetProperty("output"));
        var b = Matrix(twice.GetProperty("output"));
        for (var y = 2; y < 8; y++)
        {
            for (var x = 2; x < 8; x++)
            {
                Assert.Equal(b[y][x], a[y][x], 3);
            }
        }
    }

    [Theory]
    [InlineData("""{"kernels":[{"kernel":"box"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"kernels":[{"kernel":"box"},{"kernel":"sobel-magnitude"}]}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"kernels":[{"kernel":"box"},{"kernel":"nope"}]}""", HttpStatusCode.BadRequest)]
    public async Task BadCompositionsAreRefused(string json, HttpStatusCode status)
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        await Problems.AssertProblemAsync(await client.PostAsync("/api/kernels/compose", content), status);
    }
}
