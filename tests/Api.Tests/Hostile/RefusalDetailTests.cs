using System.Net;
using System.Text;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hostile;

/// <summary>Refusals say what was wrong in the API's words: the value at fault, the option that limits it, no .NET type names.</summary>
public sealed class RefusalDetailTests
{
    public static TheoryData<string, string, string> UnreadableJson() => new()
    {
        { "/api/filter/matrix", """{"input": "abc"}""", "'$.input' should be an array of arrays" },
        { "/api/filter/matrix", """{"input": [[1, 2], [3, "x"]]}""", "'$.input[1][1]' should be a number" },
        { "/api/kernels/compose", "[1]", "the body should be a JSON object" },
        { "/api/filter/matrix", "", "has no body" },
        { "/api/filter/matrix", """{"input": [[1, 2], [3, 4]""", "not well-formed JSON" },
    };

    [Theory]
    [MemberData(nameof(UnreadableJson))]
    public async Task UnreadableJsonNamesTheValueAndWhatWasExpected(string path, string body, string expected)
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var detail = (await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
        Assert.Contains(expected, detail);
        Assert.DoesNotContain("System.", detail);
        Assert.DoesNotContain("ConvService.", detail);
        Assert.DoesNotContain("Implicit body", detail);
    }

    [Fact]
    public async Task TooManyFormPartsNameTheirOwnLimit()
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var fields = Enumerable.Range(0, 200).Select(i => ($"f{i}", "x")).ToArray();
        using var response = await client.PostAsync("/api/filter", Forms.With(TestImages.GradientPng(4, 4), fields: fields));
        var detail = (await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString()!;
        Assert.Contains("MaxFormParts", detail);
        Assert.DoesNotContain("MaxRequestBytes", detail);
    }

    [Fact]
    public async Task AnUnterminatedMultipartBodySaysHowToSendOne()
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var content = new ByteArrayContent("--abc\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nbad"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=abc");
        using var response = await client.PostAsync("/api/filter", content);
        var detail = (await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
        Assert.Contains("boundary", detail);
    }
}
