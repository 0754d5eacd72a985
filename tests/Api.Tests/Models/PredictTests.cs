using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;
using Xunit.Abstractions;

namespace ConvService.Api.Tests.Models;

public sealed class PredictTests(ITestOutputHelper output)
{
    private static async Task<JsonElement> PredictAsync(HttpClient client, byte[] png, params (string, string)[] fields)
    {
        var response = await client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(png, fields: fields));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task HeldOutDigitsRenderedToPngAreAtLeast98PercentRight()
    {
        await using var service = ModelService.Create();
        var digits = DigitImages.Digits;
        var indices = Enumerable.Range(0, digits.Count).ToArray(); // all 2,000 held-out digits
        var correct = 0;
        await Parallel.ForEachAsync(indices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var result = await PredictAsync(service.Client, DigitImages.Png(i), ("top", "1"));
            if (result.GetProperty("predictions")[0].GetProperty("index").GetInt32() == digits.Labels[i])
            {
                Interlocked.Increment(ref correct);
            }
        });

        var accuracy = (double)correct / indices.Length;
        output.WriteLine($"Held-out accuracy through POST /api/models/lenet5-mnist/predict: {correct} of {indices.Length} = {accuracy:P2}");
        Assert.True(accuracy >= 0.98, $"{correct} of {indices.Length} = {accuracy:P2}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ADigitDrawnLargeInDarkBlueOnWhiteIsRecognised(int index)
    {
        await using var service = ModelService.Create();
        var result = await PredictAsync(service.Client, DigitImages.DrawnPng(index, 140));
        var best = result.GetProperty("predictions")[0];
        Assert.Equal(DigitImages.Digits.Labels[index], best.GetProperty("index").GetInt32());
        Assert.Equal(DigitImages.Digits.Labels[index].ToString(System.Globalization.CultureInfo.InvariantCulture), best.GetProperty("label").GetString());
        Assert.True(best.GetProperty("probability").GetSingle() > 0.5f);
    }

    [Fact]
    public async Task TheAnswerHasModelVersionTopPredictionsAndTime()
    {
        await using var service = ModelService.Create();
        var result = await PredictAsync(service.Client, DigitImages.Png(7), ("top", "3"));
        Assert.Equal("lenet5-mnist", result.GetProperty("model").GetString());
        Assert.Equal("1", result.GetProperty("version").GetString());
        Assert.True(result.GetProperty("elapsedMs").GetDouble() > 0);
        var predictions = result.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("probability").GetSingle()).ToArray();
        Assert.Equal(3, predictions.Length);
        Assert.True(predictions[0] >= predictions[1] && predictions[1] >= predictions[2]);

        var all = await PredictAsync(service.Client, DigitImages.Png(7), ("top", "10"));
        Assert.Equal(1f, all.GetProperty("predictions").EnumerateArray().Sum(p => p.GetProperty("probability").GetSingle()), 3);
        var defaults = await PredictAsync(service.Client, DigitImages.Png(7));
        Assert.Equal(5, defaults.GetProperty("predictions").GetArrayLength());
    }

    [Fact]
    public async Task EmbedReturnsTheOutputVector()
    {
        await using var service = ModelService.Create();
        var response = await service.Client.PostAsync("/api/models/lenet5-mnist/embed", Forms.With(DigitImages.Png(3)));
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(10, result.GetProperty("dimensions").GetInt32());
        var values = result.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(10, values.Length);
        Assert.Equal(DigitImages.Digits.Labels[3], Array.IndexOf(values, values.Max()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("x")]
    [InlineData("1001")]
    public async Task ABadTopIsA400(string top)
    {
        await using var service = ModelService.Create();
        var response = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(0), fields: ("top", top)));
        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task MistakesAreProblemDetails()
    {
        await using var service = ModelService.Create();
        var client = service.Client;
        await Problems.AssertProblemAsync(await client.PostAsync("/api/models/nope/predict", Forms.With(DigitImages.Png(0))), HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(await client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(null)), HttpStatusCode.BadRequest);
        await Problems.AssertProblemAsync(await client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With([1, 2, 3, 4, 5])), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task AnImageOfTheWrongSizeIsA422WithTheExpectedSizeWhenTheModelDoesNotResize()
    {
        await using var service = ModelService.Create();
        var descriptor = """{"task":"classify","preprocessing":{"resize":"none","grayscale":true,"scale":0.00392156862745098}}""";
        File.WriteAllText(Path.Combine(service.Folder, "lenet5-mnist", "model.json"), descriptor);
        File.SetLastWriteTimeUtc(Path.Combine(service.Folder, "lenet5-mnist", "model.json"), DateTime.UtcNow.AddMinutes(1));
        service.Repository.Scan();

        var response = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(TestImages.GradientPng(30, 20)));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("28x28", problem.GetProperty("detail").GetString());
        var right = await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(0)));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }
}
