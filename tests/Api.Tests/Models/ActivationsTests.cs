using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Descriptors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Models;

public sealed class ActivationsTests
{
    [Fact]
    public async Task GetListsTheLayersThatCanBeAskedFor()
    {
        await using var service = ModelService.Create();
        var list = await service.Client.GetFromJsonAsync<JsonElement>("/api/models/lenet5-mnist/activations");
        var names = list.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()).ToArray();
        Assert.Equal(["conv1", "pool1", "conv2", "pool2"], names.Take(4));
    }

    [Fact]
    public async Task PngIsAGridOfOneTilePerMapWithLayerAndShapeHeaders()
    {
        await using var service = ModelService.Create();
        var response = await service.Client.PostAsync(
            "/api/models/lenet5-mnist/activations",
            Forms.With(DigitImages.Png(0), fields: ("layer", "conv1")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("conv1", response.Headers.GetValues("X-Layer-Name").Single());
        Assert.Equal("1x6x28x28", response.Headers.GetValues("X-Layer-Shape").Single());
        using var image = Image.Load<L8>(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((3 * 28 + 2 * 2, 2 * 28 + 2), (image.Width, image.Height)); // 3x2 tiles, 2 px gaps
    }

    [Fact]
    public async Task JsonHasShapeMinMaxAndValuesAndAFusedNodeNamesItsLayer()
    {
        await using var service = ModelService.Create();
        var response = await service.Client.PostAsync(
            "/api/models/lenet5-mnist/activations",
            Forms.With(DigitImages.Png(0), fields: [("layer", "relu2"), ("format", "json")]));
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("conv2", result.GetProperty("layer").GetString());
        Assert.Equal([1, 16, 10, 10], result.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var values = result.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(1600, values.Length);
        Assert.Equal(values.Min(), result.GetProperty("min").GetSingle());
        Assert.Equal(values.Max(), result.GetProperty("max").GetSingle());
        Assert.True(values.Min() >= 0); // ReLU is fused in
    }

    [Fact]
    public async Task AnUnknownLayerIs404ListingTheLayersAndAMissingOneIs400()
    {
        await using var service = ModelService.Create();
        var unknown = await service.Client.PostAsync("/api/models/lenet5-mnist/activations", Forms.With(DigitImages.Png(0), fields: ("layer", "conv9")));
        var problem = await Problems.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Contains("conv1", problem.GetProperty("layers").EnumerateArray().Select(l => l.GetString()));

        var missing = await service.Client.PostAsync("/api/models/lenet5-mnist/activations", Forms.With(DigitImages.Png(0)));
        await Problems.AssertProblemAsync(missing, HttpStatusCode.BadRequest);
        var format = await service.Client.PostAsync("/api/models/lenet5-mnist/activations", Forms.With(DigitImages.Png(0), fields: [("layer", "conv1"), ("format", "gif")]));
        await Problems.AssertProblemAsync(format, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ANetworkRegisteredInCodeWithSeededWeightsServesActivationsAndEmbeddings()
    {
        await using var service = ModelService.Create();
        var b = new OnnxGraphBuilder(seed: 9);
        var x = b.Input("image", [1, 3, 32, 32], "N");
        x = b.Relu(b.Conv(x, 8, 3, pad: 1, name: "features"));
        x = b.MaxPool(x, 2, 2, name: "pool");
        b.Output(b.Flatten(b.GlobalAveragePool(x)));
        service.Repository.Register("seeded-net", b.ToBytes(), new ModelDescriptor { Task = ModelTasks.Embed, Preprocessing = new PreprocessingDescriptor { Scale = 1f / 255f } });

        var response = await service.Client.PostAsync(
            "/api/models/seeded-net/activations",
            Forms.With(TestImages.Sample("chelsea.png"), fields: ("layer", "pool")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1x8x16x16", response.Headers.GetValues("X-Layer-Shape").Single());

        var embed = await service.Client.PostAsync("/api/models/seeded-net/embed", Forms.With(TestImages.Sample("chelsea.png")));
        var result = await embed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(8, result.GetProperty("dimensions").GetInt32());

        var predict = await service.Client.PostAsync("/api/models/seeded-net/predict", Forms.With(TestImages.Sample("chelsea.png")));
        await Problems.AssertProblemAsync(predict, HttpStatusCode.UnprocessableEntity);
        var listed = await service.Client.GetFromJsonAsync<JsonElement>("/api/models/seeded-net");
        Assert.Equal("memory", listed.GetProperty("source").GetString());
    }
}
