using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Models;

public sealed class KServeTests
{
    /// <summary>The inference request example of the v2 protocol specification (required_api.md), verbatim.</summary>
    private const string SpecificationExample = """
        {
          "id" : "42",
          "inputs" : [
            {
              "name" : "input0",
              "shape" : [ 2, 2 ],
              "datatype" : "UINT32",
              "data" : [ 1, 2, 3, 4 ]
            },
            {
              "name" : "input1",
              "shape" : [ 3 ],
              "datatype" : "BOOL",
              "data" : [ true ]
            }
          ],
          "outputs" : [
            {
              "name" : "output0"
            }
          ]
        }
        """;

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The specification's example shape, with this model's input: id "42", one FP32 input, one requested output.</summary>
    private static string LeNetRequest(int[] digits, bool nested = false)
    {
        var images = digits.Select(d => DigitImages.Digits.Image(d).ToArray().Select(p => p / 255f).ToArray()).ToArray();
        object data = nested
            ? images.Select(i => new[] { Enumerable.Range(0, 28).Select(r => i.Skip(r * 28).Take(28).ToArray()).ToArray() }).ToArray()
            : images.SelectMany(i => i).ToArray();
        return JsonSerializer.Serialize(new
        {
            id = "42",
            inputs = new[] { new { name = "input", shape = new[] { digits.Length, 1, 28, 28 }, datatype = "FP32", data } },
            outputs = new[] { new { name = "probabilities" } },
        });
    }

    private static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(body).RootElement;
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("error").GetString()));
        return error;
    }

    [Fact]
    public async Task HealthAndModelReadinessAnswer200()
    {
        await using var service = ModelService.Create();
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/v2/models/lenet5-mnist/ready")).StatusCode);
        await AssertErrorAsync(await service.Client.GetAsync("/v2/models/nope/ready"), HttpStatusCode.NotFound);
        var server = await service.Client.GetFromJsonAsync<JsonElement>("/v2");
        Assert.Equal("convservice", server.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ModelMetadataHasNameVersionsPlatformAndTensors()
    {
        await using var service = ModelService.Create();
        var metadata = await service.Client.GetFromJsonAsync<JsonElement>("/v2/models/lenet5-mnist");
        Assert.Equal("lenet5-mnist", metadata.GetProperty("name").GetString());
        Assert.Equal("1", metadata.GetProperty("versions")[0].GetString());
        Assert.Equal("onnx_onnxv1", metadata.GetProperty("platform").GetString());
        var input = metadata.GetProperty("inputs")[0];
        Assert.Equal("input", input.GetProperty("name").GetString());
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        Assert.Equal([-1L, 1, 28, 28], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal([-1L, 10], metadata.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        await AssertErrorAsync(await service.Client.GetAsync("/v2/models/nope"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InferRunsABatchAndAnswersInTheProtocolsForm(bool nested)
    {
        await using var service = ModelService.Create();
        int[] digits = [1, 2, 3];
        var response = await service.Client.PostAsync("/v2/models/lenet5-mnist/infer", JsonBody(LeNetRequest(digits, nested)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonDocument.Parse(body).RootElement;

        Assert.Equal("42", result.GetProperty("id").GetString());
        Assert.Equal("lenet5-mnist", result.GetProperty("model_name").GetString());
        Assert.Equal("1", result.GetProperty("model_version").GetString());
        var output = Assert.Single(result.GetProperty("outputs").EnumerateArray());
        Assert.Equal("probabilities", output.GetProperty("name").GetString());
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal([3L, 10], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var data = output.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(30, data.Length);
        for (var i = 0; i < digits.Length; i++)
        {
            var row = data.AsSpan(i * 10, 10).ToArray();
            Assert.Equal(1f, row.Sum(), 3);
            Assert.Equal(DigitImages.Digits.Labels[digits[i]], Array.IndexOf(row, row.Max()));
        }
    }

    [Fact]
    public async Task TheSpecificationsExampleIsRefusedWithTheProtocolsErrorObject()
    {
        await using var service = ModelService.Create();
        var response = await service.Client.PostAsync("/v2/models/lenet5-mnist/infer", JsonBody(SpecificationExample));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("'input'", error.GetProperty("error").GetString());
        await AssertErrorAsync(await service.Client.PostAsync("/v2/models/mymodel/infer", JsonBody(SpecificationExample)), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1,28,27],"datatype":"FP32","data":[0]}]}""", "[N, 1, 28, 28]")]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1,28,28],"datatype":"INT64","data":[0]}]}""", "FP32")]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1,28,28],"datatype":"FP32","data":[1,2,3]}]}""", "784")]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1,28,28],"datatype":"FP32","data":["x"]}]}""", "FP32")]
    [InlineData("""{"inputs":[]}""", "takes 1 input(s)")]
    [InlineData("""{"inputs":[{"name":"input",""", "JSON")]
    [InlineData("""{"inputs":[null]}""", "no input 'input'")]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1,28,28],"datatype":"FP32","data":[]}],"outputs":[null]}""", "784")]
    public async Task MistakesAreErrorObjectsSayingWhatIsExpected(string body, string expected)
    {
        await using var service = ModelService.Create();
        var response = await service.Client.PostAsync("/v2/models/lenet5-mnist/infer", JsonBody(body));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnUnknownRequestedOutputIsRefused()
    {
        await using var service = ModelService.Create();
        var request = LeNetRequest([0]).Replace("\"probabilities\"", "\"output0\"");
        var error = await AssertErrorAsync(await service.Client.PostAsync("/v2/models/lenet5-mnist/infer", JsonBody(request)), HttpStatusCode.BadRequest);
        Assert.Contains("probabilities", error.GetProperty("error").GetString());
    }
}
