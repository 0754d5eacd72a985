using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ConvService.Api.Tests.Support;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using Google.Protobuf;

namespace ConvService.Api.Tests.Models;

/// <summary>
/// Models with open image sizes and with several inputs and outputs, uploaded and served: metadata shows open
/// dimensions as -1, /v2 takes any size the model allows and returns every output, predict-style endpoints keep the
/// upload's size under "resize": "none".
/// </summary>
public sealed class DynamicModelTests
{
    private const string Key = "dynamic-key";

    /// <summary>image [N, 3, H, W] (H, W open) -> features = Conv 3x3 pad 1 [N, 4, H, W], pooled = GlobalAveragePool flattened [N, 4].</summary>
    private static byte[] OpenSizeModel()
    {
        var b = new OnnxGraphBuilder(seed: 3);
        var x = b.Input("image", [1, 3, 8, 8], "N");
        var features = b.Conv(x, 4, 3, pad: 1, name: "features");
        b.Output(features);
        b.Output(b.Flatten(b.GlobalAveragePool(features, name: "gap")));
        var model = b.Build();
        var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim;
        dims[2] = new TensorShapeProto.Types.Dimension { DimParam = "height" };
        dims[3] = new TensorShapeProto.Types.Dimension { DimParam = "width" };
        return model.ToByteArray();
    }

    /// <summary>a, b [N, 2] -> sum = a + b, product = a * b.</summary>
    private static byte[] TwoInputModel()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("a", [1, 2], "N");
        var y = b.Input("b", [1, 2], "N");
        b.Output(b.Node("Add", "sum", [x, y], [1, 2]));
        b.Output(b.Node("Mul", "product", [x, y], [1, 2]));
        return b.ToBytes();
    }

    [Fact]
    public async Task ActivationsPlannedOverTheMemoryBudgetAre413NamingTheOption()
    {
        await using var service = await WithModelAsync(
            "open", OpenSizeModel(), """{"task":"embed","preprocessing":{"resize":"none"}}""", ("ConvService:Limits:MaxRequestMemoryMegabytes", "16"));

        // 900x800 decodes within 16 MiB (14.4 MB), but its 3-channel input and 4-channel features are 5.04 million
        // floats of activations, over the 4.19 million 16 MiB holds.
        var response = await service.Client.PostAsync("/api/models/open/activations", Forms.With(TestImages.GradientPng(900, 800), fields: ("layer", "features")));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("activations", detail);
        Assert.Contains("ConvService:Limits:MaxRequestMemoryMegabytes", detail);

        // A small image fits the same budget.
        var small = await service.Client.PostAsync("/api/models/open/activations", Forms.With(TestImages.GradientPng(64, 48), fields: ("layer", "features")));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }

    private static async Task<ModelService> WithModelAsync(string name, byte[] onnx, string? config = null, params (string Key, string Value)[] settings)
    {
        var service = ModelService.Create(null, [("ConvService:Models:ApiKey", Key), .. settings]);
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(onnx);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "model", "model.onnx");
        if (config is not null)
        {
            form.Add(new StringContent(config, Encoding.UTF8, "application/json"), "config", "model.json");
        }

        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/models/{name}") { Content = form };
        request.Headers.Add("X-Api-Key", Key);
        var response = await service.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return service;
    }

    private static long[] Shape(JsonElement tensor) => tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();

    private static StringContent Infer(params (string Name, int[] Shape, float[] Data)[] inputs) =>
        new(JsonSerializer.Serialize(new { inputs = inputs.Select(i => new { name = i.Name, shape = i.Shape, datatype = "FP32", data = i.Data }) }), Encoding.UTF8, "application/json");

    [Fact]
    public async Task MetadataShowsOpenDimensionsAsMinusOneInBothApis()
    {
        await using var service = await WithModelAsync("open", OpenSizeModel(), """{"task":"embed","preprocessing":{"resize":"none"}}""");
        var details = await service.Client.GetFromJsonAsync<JsonElement>("/api/models/open");
        Assert.Equal([-1L, 3, -1, -1], Shape(details.GetProperty("inputs")[0]));
        Assert.Equal([-1L, 4, -1, -1], Shape(details.GetProperty("outputs")[0]));
        Assert.Equal([-1L, 4], Shape(details.GetProperty("outputs")[1]));

        var metadata = await service.Client.GetFromJsonAsync<JsonElement>("/v2/models/open");
        Assert.Equal([-1L, 3, -1, -1], Shape(metadata.GetProperty("inputs")[0]));
        Assert.Equal([-1L, 4, -1, -1], Shape(metadata.GetProperty("outputs")[0]));
    }

    [Theory]
    [InlineData(1, 5, 7)]
    [InlineData(2, 6, 4)]
    public async Task V2InferTakesAnySizeAndReturnsEveryOutput(int batch, int height, int width)
    {
        var onnx = OpenSizeModel();
        await using var service = await WithModelAsync("open", onnx, """{"task":"embed","preprocessing":{"resize":"none"}}""");
        var data = Enumerable.Range(0, batch * 3 * height * width).Select(i => (float)Math.Sin(i)).ToArray();
        var response = await service.Client.PostAsync("/v2/models/open/infer", Infer(("image", [batch, 3, height, width], data)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var outputs = JsonDocument.Parse(body).RootElement.GetProperty("outputs");
        Assert.Equal([batch, 4L, height, width], Shape(outputs[0]));
        Assert.Equal([batch, 4L], Shape(outputs[1]));

        using var session = OnnxModel.Load(onnx).CreateSession([[batch, 3, height, width]]);
        session.Run(data);
        var expected = session.Output("features").ToArray();
        var actual = outputs[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-5f));
    }

    [Fact]
    public async Task V2RefusesShapesOutsideTheModelAndOverTheLimitsWith400()
    {
        await using var service = await WithModelAsync("open", OpenSizeModel(), """{"task":"embed","preprocessing":{"resize":"none"}}""");
        var wrongChannels = await service.Client.PostAsync("/v2/models/open/infer", Infer(("image", [1, 2, 4, 4], new float[32])));
        Assert.Equal(HttpStatusCode.BadRequest, wrongChannels.StatusCode);
        var huge = await service.Client.PostAsync("/v2/models/open/infer", Infer(("image", [1, 3, 100_000, 100_000], new float[1])));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("MaxElementsPerTensor", await huge.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EmbedKeepsTheUploadsSizeUnderResizeNone()
    {
        await using var service = await WithModelAsync("open", OpenSizeModel(), """{"task":"embed","preprocessing":{"resize":"none"}}""");
        foreach (var (width, height) in new[] { (9, 6), (5, 11) })
        {
            var form = new MultipartFormDataContent();
            var png = new ByteArrayContent(TestImages.GradientPng(width, height));
            png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(png, "image", "image.png");
            var response = await service.Client.PostAsync("/api/models/open/embed", form);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal(4 * width * height, JsonDocument.Parse(body).RootElement.GetProperty("dimensions").GetInt32());
        }
    }

    [Fact]
    public async Task ActivationsOfAnOpenSizeModelHaveTheUploadsSize()
    {
        await using var service = await WithModelAsync("open", OpenSizeModel(), """{"task":"embed","preprocessing":{"resize":"none"}}""");
        var form = new MultipartFormDataContent();
        var png = new ByteArrayContent(TestImages.GradientPng(10, 7));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(png, "image", "image.png");
        form.Add(new StringContent("features"), "layer");
        form.Add(new StringContent("json"), "format");
        var response = await service.Client.PostAsync("/api/models/open/activations", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal([1L, 4, 7, 10], Shape(JsonDocument.Parse(body).RootElement));
    }

    [Fact]
    public async Task SeveralInputsAndOutputsAreListedAndServedOverV2()
    {
        await using var service = await WithModelAsync("pair", TwoInputModel());
        var details = await service.Client.GetFromJsonAsync<JsonElement>("/api/models/pair");
        Assert.Equal(["a", "b"], details.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["sum", "product"], details.GetProperty("outputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));

        var response = await service.Client.PostAsync("/v2/models/pair/infer", Infer(("b", [2, 2], [10f, 20f, 30f, 40f]), ("a", [2, 2], [1f, 2f, 3f, 4f])));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var outputs = JsonDocument.Parse(body).RootElement.GetProperty("outputs");
        Assert.Equal([11f, 22f, 33f, 44f], outputs[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal([10f, 40f, 90f, 160f], outputs[1].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal([2L, 2], Shape(outputs[1]));

        var missing = await service.Client.PostAsync("/v2/models/pair/infer", Infer(("a", [1, 2], [1f, 2f])));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var form = new MultipartFormDataContent();
        var png = new ByteArrayContent(TestImages.GradientPng(4, 4));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(png, "image", "image.png");
        await Problems.AssertProblemAsync(await service.Client.PostAsync("/api/models/pair/embed", form), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task AZeroSizeInputRunsToAnEmptyOutputOrIsRefusedWithAReasonOverV2()
    {
        // values [N, length] (length open) -> scaled = Relu(values) * 2 [N, length].
        var b = new OnnxGraphBuilder();
        var x = b.Input("values", [1, 4], "N");
        b.Output(b.Node("Mul", "scaled", [b.Relu(x), b.Initializer("two", [], [2f])], [1, 4]));
        var model = b.Build();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1] = new TensorShapeProto.Types.Dimension { DimParam = "length" };
        await using var service = await WithModelAsync("sequence", model.ToByteArray());

        var response = await service.Client.PostAsync("/v2/models/sequence/infer", Infer(("values", [2, 0], [])));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var output = JsonDocument.Parse(body).RootElement.GetProperty("outputs")[0];
        Assert.Equal([2L, 0], Shape(output));
        Assert.Equal(0, output.GetProperty("data").GetArrayLength());

        // A convolution cannot take an empty image: a 400 that says why, not a server error.
        await using var open = await WithModelAsync("open", OpenSizeModel(), """{"task":"embed","preprocessing":{"resize":"none"}}""");
        var refused = await open.Client.PostAsync("/v2/models/open/infer", Infer(("image", [1, 3, 0, 8], [])));
        var reason = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("does not fit the 0x8 input", reason);
    }
}
