using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Models;

/// <summary>Predict and embed answers split their time by stage in a Server-Timing header.</summary>
public sealed partial class ServerTimingTests
{
    private static readonly string[] Stages = ["receive", "read", "decode", "preprocess", "queue", "engine", "handoff", "json", "total"];

    [GeneratedRegex(@"^(?<name>[a-z]+);dur=(?<ms>\d+(\.\d+)?)$")]
    private static partial Regex Entry();

    private static List<(string Name, double Ms)> Timings(HttpResponseMessage response) =>
        string.Join(",", response.Headers.GetValues("Server-Timing"))
            .Split(',', StringSplitOptions.TrimEntries)
            .Select(entry =>
            {
                var match = Entry().Match(entry);
                Assert.True(match.Success, $"'{entry}' is not name;dur=milliseconds");
                return (match.Groups["name"].Value, double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture));
            })
            .ToList();

    private static void AssertStagesInOrderWithinTheTotal(HttpResponseMessage response)
    {
        var timings = Timings(response);
        Assert.Equal(Stages, timings.Select(t => t.Name));

        // Each stage is timed from the end of the one before, so together they fit in the total (rounding aside).
        var stages = timings.Take(timings.Count - 1).Sum(t => t.Ms);
        Assert.True(stages <= timings[^1].Ms + 0.01, $"stages add up to {stages} ms, the total is {timings[^1].Ms} ms");
    }

    [Fact]
    public async Task AnEmbedAnswerSplitsItsTimeFromReceiveToJson()
    {
        await using var service = ModelService.Create(["resnet18-features"]);
        var response = await service.Client.PostAsync("/api/models/resnet18-features/embed", Forms.With(TestImages.Sample("chelsea.png")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        AssertStagesInOrderWithinTheTotal(response);
    }

    [Fact]
    public async Task APredictAnswerSplitsItsTimeFromReceiveToJson()
    {
        await using var service = ModelService.Create();
        var response = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(0)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertStagesInOrderWithinTheTotal(response);
    }

    [Theory]
    [InlineData("png", "encode")]
    [InlineData("json", "json")]
    public async Task AnActivationsAnswerSplitsItsTimeFromReceiveToItsBody(string format, string last)
    {
        await using var service = ModelService.Create();
        var response = await service.Client.PostAsync(
            "/api/models/lenet5-mnist/activations", Forms.With(DigitImages.Png(3), "digit.png", ("layer", "conv1"), ("format", format)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var timings = Timings(response);
        string[] expected = format == "png"
            ? ["receive", "read", "decode", "preprocess", "queue", "engine", "handoff", "render", "encode", "total"]
            : ["receive", "read", "decode", "preprocess", "queue", "engine", "handoff", "json", "total"];
        Assert.Equal(expected, timings.Select(t => t.Name));
        Assert.Equal(last, timings[^2].Name);
        Assert.True(timings.Take(timings.Count - 1).Sum(t => t.Ms) <= timings[^1].Ms + 0.01);
    }

    [Fact]
    public async Task ARefusedUploadCarriesNoStages()
    {
        await using var service = ModelService.Create();
        var response = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With([1, 2, 3, 4]));
        Assert.False(response.IsSuccessStatusCode);
        Assert.False(response.Headers.Contains("Server-Timing"));
    }
}
