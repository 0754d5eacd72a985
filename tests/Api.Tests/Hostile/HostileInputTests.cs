using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hostile;

/// <summary>
/// Inputs that once got a 500 or held the server: malformed files the decoder throws odd exceptions on, results
/// JSON cannot hold, sizes whose arithmetic overflowed, and requests whose cost was only known after the work.
/// </summary>
public sealed class HostileInputTests
{
    public static TheoryData<string> MalformedImages() => ["png-bit-depth-3", "png-empty-phys", "jpeg-without-sof", "jpeg-sof-zero-components"];

    [Theory]
    [MemberData(nameof(MalformedImages))]
    public async Task WhateverTheDecoderThrowsIsABadImageNotAServerError(string kind)
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/filter", Forms.With(Malformed(kind), fields: ("kernel", "box")));
        var status = (int)response.StatusCode;
        Assert.True(status is 400 or 415 or 422, $"{kind}: {status} {await response.Content.ReadAsStringAsync()}");
        var problem = await Problems.AssertProblemAsync(response, response.StatusCode);
        Assert.DoesNotContain("Exception", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ResultsBeyondFloatRangeAreWrittenAsNamedLiterals()
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/filter", Forms.With(
            TestImages.GradientPng(6, 5), fields: [("matrix", "[[3e38,3e38],[3e38,3e38]]"), ("format", "json"), ("gray", "true")]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var data = JsonDocument.Parse(body).RootElement.GetProperty("data");
        Assert.Contains(data.EnumerateArray(), v => v.ValueKind == JsonValueKind.String && v.GetString() == "Infinity");
    }

    [Fact]
    public async Task ComposingKernelsBeyondFloatRangeAnswersWithNamedLiterals()
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/kernels/compose", new
        {
            kernels = new[] { new { matrix = new[] { new[] { 3e38, 3e38 } } }, new { matrix = new[] { new[] { 3e38, 3e38 } } } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"Infinity\"", body);
    }

    [Fact]
    public async Task AStrideOfIntMaxGivesOnePixelInsteadOfAnOverflow()
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/filter", Forms.With(
            TestImages.GradientPng(9, 7), fields: [("kernel", "box"), ("stride", "2147483647"), ("format", "json")]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonDocument.Parse(body).RootElement;
        Assert.Equal(1, result.GetProperty("width").GetInt32());
        Assert.Equal(1, result.GetProperty("height").GetInt32());
    }

    [Fact]
    public async Task ConnectivityCountsThatOverflowAreRefusedWithTheFormula()
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        const int max = int.MaxValue;
        using var response = await client.GetAsync($"/api/networks/connectivity?channels={max}&height={max}&width={max}&units={max}&patch={max}&filters={max}");
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnprocessableContent);
        Assert.Contains("inputs *", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnOversizedCompositionIsRefusedFromItsSizesBeforeAnyArithmetic()
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();

        // 40 box kernels would compose to 81x81, over the 63x63 limit.
        using var response = await client.PostAsJsonAsync("/api/kernels/compose", new { kernels = Enumerable.Repeat(new { kernel = "box" }, 40) });
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnprocessableContent);
        Assert.Contains("would be 81x81", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TooManyKernelsToComposeIs413NamingTheOption()
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/kernels/compose", new { kernels = Enumerable.Repeat(new { kernel = "identity" }, 100_000) });
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MaxComposedKernels", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PaddingThatMultipliesTheAreaPastThePixelLimitIs413WithTheFormula()
    {
        using var factory = ServiceFactory.Create(("ConvService:Limits:MaxImagePixels", "10000"));
        using var client = factory.CreateClient();

        // 60x60 is within 10,000 pixels; padded by 60 on every side the output is 178x178.
        using var response = await client.PostAsync("/api/filter", Forms.With(
            TestImages.GradientPng(60, 60), fields: [("kernel", "box"), ("padding", "60")]));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("178x178", detail);
        Assert.Contains("MaxImagePixels", detail);
    }

    [Fact]
    public async Task AnImageSideOverTheLimitIs413WhateverItsArea()
    {
        using var factory = ServiceFactory.Create(("ConvService:Limits:MaxImageSide", "64"));
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/filter", Forms.With(TestImages.GradientPng(100, 2), fields: ("kernel", "box")));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MaxImageSide", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WorkPastTheTimeBudgetIsStoppedWith503()
    {
        using var factory = ServiceFactory.Create(("ConvService:Limits:ImageWorkTimeoutMs", "100"));
        using var client = factory.CreateClient();

        // A 31x31 non-separable kernel over 2000x2000 RGB is about 11 billion multiply-adds (about 0.4 s on two cores
        // with AVX-512), after a 2000x2000 decode: never within 100 ms.
        var random = new Random(3);
        var matrix = JsonSerializer.Serialize(Enumerable.Range(0, 31).Select(_ => Enumerable.Range(0, 31).Select(_ => random.NextDouble()).ToArray()));
        using var response = await client.PostAsync("/api/filter", Forms.With(
            TestImages.GradientPng(2000, 2000), fields: [("matrix", matrix), ("format", "json")]));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("ImageWorkTimeoutMs", problem.GetProperty("detail").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private static byte[] Malformed(string kind) => kind switch
    {
        "png-bit-depth-3" => PngChunks.File(PngChunks.Header(4, 4, bitDepth: 3), ("IDAT", PngChunks.GrayPixels(4, 4))),
        "png-empty-phys" => PngChunks.File(PngChunks.Header(4, 4), ("pHYs", []), ("IDAT", PngChunks.GrayPixels(4, 4))),
        "jpeg-without-sof" => [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, .. new byte[16], 0xFF, 0xD9],
        "jpeg-sof-zero-components" => [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x08, 0x08, 0x00, 0x10, 0x00, 0x10, 0x00, 0xFF, 0xD9],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
