using System.Net;
using System.Text.Json;
using ConvService.Api.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Filters;

public sealed class ImageFilterTests
{
    private static async Task<HttpResponseMessage> Post(byte[]? image, params (string, string)[] fields)
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        return await client.PostAsync("/api/filter", Forms.With(image, fields: fields));
    }

    [Fact]
    public async Task BlurringAPhotoReturnsAPngOfTheSameSize()
    {
        var response = await Post(TestImages.Sample("chelsea.png"), ("kernel", "box"), ("size", "5"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var image = Image.Load<Rgb24>(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((451, 300), (image.Width, image.Height));
    }

    [Fact]
    public async Task ServerTimingSplitsDecodeFilterAndEncode()
    {
        var response = await Post(TestImages.Sample("coffee.png"), ("kernel", "sobel-x"), ("format", "jpeg"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var timing = string.Join(",", response.Headers.GetValues("Server-Timing"));
        Assert.Matches(@"decode;dur=[\d.]+", timing);
        Assert.Matches(@"filter;dur=[\d.]+", timing);
        Assert.Matches(@"encode;dur=[\d.]+", timing);
    }

    [Fact]
    public async Task JsonOutputIsTheUnroundedFloatResultInterleaved()
    {
        // Pixel (x, y) is (10x + y, 255 - (10x + y), (10x + y)/2); a horizontal central difference of R is 10.
        var png = TestImages.GradientPng(9, 7);
        var response = await Post(png, ("matrix", "[[0,0,0],[-0.5,0,0.5],[0,0,0]]"), ("padding", "valid"), ("format", "json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(7, json.GetProperty("width").GetInt32());
        Assert.Equal(5, json.GetProperty("height").GetInt32());
        Assert.Equal(3, json.GetProperty("channels").GetInt32());
        var data = json.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(7 * 5 * 3, data.Length);
        for (var i = 0; i < 7 * 5; i++)
        {
            Assert.Equal(10f, data[i * 3], 3);      // R rises by 10 per column
            Assert.Equal(-10f, data[i * 3 + 1], 3); // G falls by 10: negative values are kept, not clamped
        }

        Assert.Equal("(9 - 3)/1 + 1 = 7", json.GetProperty("formula").GetProperty("cols").GetString());
    }

    [Fact]
    public async Task GrayFiltersOneLumaChannel()
    {
        var response = await Post(TestImages.GradientPng(5, 5), ("kernel", "identity"), ("gray", "true"), ("format", "json"));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, json.GetProperty("channels").GetInt32());
        var first = json.GetProperty("data")[0].GetSingle();
        Assert.Equal(0.299f * 0 + 0.587f * 255 + 0.114f * 0, first, 2);
    }

    [Fact]
    public async Task ScaleAndOffsetMapSignedEdgesToVisiblePixels()
    {
        var response = await Post(TestImages.GradientPng(9, 7), ("matrix", "[[-1,0,1]]"), ("offset", "128"), ("gray", "true"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var image = Image.Load<L8>(await response.Content.ReadAsByteArrayAsync());

        // Luma rises by 0.299*10 - 0.587*10 + 0.114*5 = -2.31 per column; the 1x3 difference spans two columns.
        Assert.InRange(image[4, 3].PackedValue, 122, 124);
    }

    [Fact]
    public async Task StrideShrinksTheImage()
    {
        var response = await Post(TestImages.GradientPng(9, 9), ("kernel", "box"), ("padding", "valid"), ("stride", "2"), ("format", "json"));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(4, json.GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task GifFirstFrameAndWebpAreAccepted()
    {
        var gif = await Post(TestImages.AnimatedGif(3), ("kernel", "identity"), ("format", "json"));
        Assert.Equal(HttpStatusCode.OK, gif.StatusCode);
        var json = JsonDocument.Parse(await gif.Content.ReadAsStringAsync()).RootElement;
        Assert.InRange(json.GetProperty("data")[0].GetSingle(), 5f, 15f); // palette quantisation may move it slightly

        using var image = Image.Load<Rgb24>(TestImages.GradientPng(6, 6));
        using var stream = new MemoryStream();
        image.SaveAsWebp(stream);
        var webp = await Post(stream.ToArray(), ("kernel", "identity"));
        Assert.Equal(HttpStatusCode.OK, webp.StatusCode);
    }

    public static TheoryData<string, HttpStatusCode, string> Refusals => new()
    {
        { "missing", HttpStatusCode.BadRequest, "image" },
        { "empty", HttpStatusCode.BadRequest, "empty" },
        { "text", HttpStatusCode.UnsupportedMediaType, "PNG, JPEG, WebP or GIF" },
        { "bmp", HttpStatusCode.UnsupportedMediaType, "BMP" },
        { "tiff", HttpStatusCode.UnsupportedMediaType, "TIFF" },
        { "truncated", HttpStatusCode.UnprocessableEntity, "truncated" },
        { "huge", HttpStatusCode.RequestEntityTooLarge, "30000x30000" },
        { "nan", HttpStatusCode.BadRequest, "matrix" },
        { "no-kernel", HttpStatusCode.BadRequest, "kernel" },
        { "stride", HttpStatusCode.BadRequest, "stride" },
        { "misfit", HttpStatusCode.UnprocessableEntity, "does not fit" },
        { "format", HttpStatusCode.BadRequest, "format" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadUploadsGetProblemDetails(string kind, HttpStatusCode status, string mention)
    {
        var png = TestImages.GradientPng(7, 7);
        var response = kind switch
        {
            "missing" => await Post(null, ("kernel", "box")),
            "empty" => await Post([], ("kernel", "box")),
            "text" => await Post("hello, I am not an image"u8.ToArray(), ("kernel", "box")),
            "bmp" => await Post(TestImages.Bmp(), ("kernel", "box")),
            "tiff" => await Post(TestImages.Tiff(), ("kernel", "box")),
            "truncated" => await Post(TestImages.Sample("chelsea.png")[..4000], ("kernel", "box")),
            "huge" => await Post(TestImages.PngClaimingSize(30000, 30000), ("kernel", "box")),
            "nan" => await Post(png, ("matrix", "[[1, NaN, 1]]")),
            "no-kernel" => await Post(png),
            "stride" => await Post(png, ("kernel", "box"), ("stride", "0")),
            "misfit" => await Post(png, ("kernel", "box"), ("padding", "valid"), ("stride", "3")),
            "format" => await Post(png, ("kernel", "box"), ("format", "gif")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var problem = await Problems.AssertProblemAsync(response, status);
        Assert.Contains(mention, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BodyOverTheByteLimitIs413()
    {
        await using var factory = ServiceFactory.Create(("ConvService:Limits:MaxRequestBytes", "65536"));
        using var client = factory.CreateClient();
        var response = await client.PostAsync("/api/filter", Forms.With(TestImages.Sample("coffee.png"), fields: ("kernel", "box")));
        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AnimationWithTooManyFramesIs413()
    {
        await using var factory = ServiceFactory.Create(("ConvService:Limits:MaxImageFrames", "4"));
        using var client = factory.CreateClient();
        var response = await client.PostAsync("/api/filter", Forms.With(TestImages.AnimatedGif(6), "anim.gif", ("kernel", "box")));
        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("6 frames", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task NonMultipartBodyIsRefused()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/filter", content);
        await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }
}
