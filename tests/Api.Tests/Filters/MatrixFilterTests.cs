using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Filters;

public sealed class MatrixFilterTests
{
    private static async Task<JsonElement> PostOk(object body)
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/filter/matrix", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> PostProblem(object body, HttpStatusCode status)
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        return await Problems.AssertProblemAsync(await client.PostAsJsonAsync("/api/filter/matrix", body), status);
    }

    private static double[][] Output(JsonElement result) =>
        result.GetProperty("output").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    [Fact]
    public async Task BoxFilterReproducesTheLecturesWorkedExample()
    {
        var result = await PostOk(new { input = LectureMatrix.F(), kernel = "box", padding = "valid" });

        var g = Output(result);
        Assert.Equal(8, g.Length);
        Assert.All(g, row => Assert.Equal(8, row.Length));
        for (var y = 0; y < 8; y++)
        {
            Assert.Equal(LectureMatrix.BoxG[y], g[y].Select(v => (int)Math.Round(v)).ToArray());
        }

        Assert.Equal(8, result.GetProperty("outputSize").GetProperty("rows").GetInt32());
        Assert.Equal("(10 - 3)/1 + 1 = 8", result.GetProperty("formula").GetProperty("rows").GetString());
    }

    [Fact]
    public async Task IdentityKernelGivesTheImageBack()
    {
        var f = LectureMatrix.F();
        var g = Output(await PostOk(new { input = f, kernel = "identity" }));
        Assert.Equal(f, g);
    }

    [Fact]
    public async Task ShiftedImpulseShiftsLeftByOnePixel()
    {
        // The lecture's [0 0 0; 0 0 1; 0 0 0]: correlating with it moves the picture one pixel left.
        var f = LectureMatrix.F();
        var g = Output(await PostOk(new { input = f, matrix = new[] { new[] { 0, 0, 0 }, new[] { 0, 0, 1 }, new[] { 0, 0, 0 } }, border = "zero" }));
        for (var y = 0; y < 10; y++)
        {
            for (var x = 0; x < 9; x++)
            {
                Assert.Equal(f[y][x + 1], g[y][x]);
            }

            Assert.Equal(0, g[y][9]);
        }
    }

    [Fact]
    public async Task ConvolutionFlipsTheKernel()
    {
        var f = LectureMatrix.F();
        var kernel = new[] { new[] { 1.0, 2, 3 }, new[] { 4.0, 5, 6 }, new[] { 7.0, 8, 9 } };
        var flipped = new[] { new[] { 9.0, 8, 7 }, new[] { 6.0, 5, 4 }, new[] { 3.0, 2, 1 } };
        var convolved = Output(await PostOk(new { input = f, matrix = kernel, op = "convolve", padding = "valid" }));
        var correlated = Output(await PostOk(new { input = f, matrix = flipped, padding = "valid" }));
        Assert.Equal(correlated, convolved);
    }

    [Fact]
    public async Task StrideThatDoesNotFitIsRefusedWithTheWorkedFormula()
    {
        var input = Enumerable.Range(0, 7).Select(_ => new double[7]).ToArray();
        var problem = await PostProblem(new { input, kernel = "box", padding = "valid", stride = 3 }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("(7 - 3)/3 + 1 = 2.33: a 3x3 filter at stride 3 does not fit a 7x7 input", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(1, 0, 5)]
    [InlineData(2, 0, 3)]
    [InlineData(1, 1, 7)]
    public async Task OutputSizeFollowsTheLecturesSevenBySevenExamples(int stride, int pad, int expected)
    {
        var input = Enumerable.Range(0, 7).Select(_ => new double[7]).ToArray();
        var result = await PostOk(new { input, kernel = "box", padding = pad, stride, border = "zero" });
        Assert.Equal(expected, result.GetProperty("outputSize").GetProperty("cols").GetInt32());
    }

    [Fact]
    public async Task FitFloorDropsTheLastPartialStep()
    {
        var input = Enumerable.Range(0, 7).Select(_ => new double[7]).ToArray();
        var result = await PostOk(new { input, kernel = "box", padding = "valid", stride = 3, fit = "floor" });
        Assert.Equal(2, result.GetProperty("outputSize").GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task UnknownKernelListsTheKnownNames()
    {
        var problem = await PostProblem(new { input = LectureMatrix.F(), kernel = "blurry" }, HttpStatusCode.BadRequest);
        var known = problem.GetProperty("knownKernels").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("box", known);
        Assert.Contains("sobel-magnitude", known);
    }

    public static TheoryData<string, HttpStatusCode> BadRequests => new()
    {
        { """{"input":[[1,2],[3,4]],"kernel":"box","stride":0}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box","stride":-2}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"matrix":[]}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"matrix":[[]]}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"matrix":[[1,2],[3]]}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box","size":0}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box","size":4}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"gaussian","sigma":-1}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box","border":"mirror"}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box","padding":"full"}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box","padding":-1}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box","op":"multiply"}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]]}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box","matrix":[[1]]}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3]],"kernel":"box"}""", HttpStatusCode.BadRequest },
        { """{"input":[],"kernel":"box"}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box",""", HttpStatusCode.BadRequest },
        { """{"input":"abc","kernel":"box"}""", HttpStatusCode.BadRequest },
        { """{"input":[[1,2],[3,4]],"kernel":"box","padding":5}""", HttpStatusCode.UnprocessableEntity },
        { """{"input":[[1,2],[3,4]],"kernel":"box","padding":"valid"}""", HttpStatusCode.UnprocessableEntity },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequestsGetProblemDetails(string json, HttpStatusCode status)
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        await Problems.AssertProblemAsync(await client.PostAsync("/api/filter/matrix", content), status);
    }

    [Fact]
    public async Task KernelLargerThanTheLimitIsRefused()
    {
        await using var factory = ServiceFactory.Create(("ConvService:Limits:MaxKernelSize", "5"));
        using var client = factory.CreateClient();
        var matrix = Enumerable.Range(0, 7).Select(_ => Enumerable.Repeat(1.0, 7).ToArray()).ToArray();
        var response = await client.PostAsJsonAsync("/api/filter/matrix", new { input = LectureMatrix.F(), matrix });
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("5", problem.GetProperty("detail").GetString());
    }
}
