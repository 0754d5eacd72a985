using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Models;

/// <summary>The packaged ImageNet ResNet-18 over HTTP: its 512 features and its activation maps.</summary>
public sealed class ResNetFeaturesTests
{
    private static async Task<float[]> Embed(HttpClient client, string sample)
    {
        var response = await client.PostAsync("/api/models/resnet18-features/embed", Forms.With(TestImages.Sample(sample)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var json = JsonDocument.Parse(text).RootElement;
        return json.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    [Fact]
    public async Task EmbeddingsAre512NonNegativeFeaturesThatTellPhotosApart()
    {
        await using var service = ModelService.Create(["resnet18-features"]);
        var cat = await Embed(service.Client, "chelsea.png");
        var catAgain = await Embed(service.Client, "chelsea.png");
        var coffee = await Embed(service.Client, "coffee.png");

        Assert.Equal(512, cat.Length);
        Assert.All(cat, v => Assert.True(v >= 0 && float.IsFinite(v))); // features come after ReLU and average pooling
        Assert.Equal(cat, catAgain);
        Assert.True(Cosine(cat, coffee) < 0.95, $"cosine {Cosine(cat, coffee)}");
    }

    [Fact]
    public async Task ActivationMapsOfTheFirstConvolutionAreServed()
    {
        await using var service = ModelService.Create(["resnet18-features"]);
        var layers = await service.Client.GetFromJsonAsync<JsonElement>("/api/models/resnet18-features/activations");
        var first = layers.GetProperty("layers")[0].GetProperty("name").GetString()!;

        var response = await service.Client.PostAsync(
            "/api/models/resnet18-features/activations",
            Forms.With(TestImages.Sample("coffee.png"), fields: [("layer", first), ("format", "json")]));
        var maps = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([1, 64, 112, 112], maps.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
    }
}
