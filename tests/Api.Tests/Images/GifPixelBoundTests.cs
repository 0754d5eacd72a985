using System.Net;
using ConvService.Api.Images;
using ConvService.Api.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Images;

/// <summary>A GIF cannot hold more than 2,730 pixels a byte; one declaring more is refused before its decode.</summary>
public sealed class GifPixelBoundTests
{
    [Fact]
    public async Task TheFuzzedGifIsRefusedNamingTheBound()
    {
        var gif = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "FuzzFindings", "image-gif-31-megapixels-45-bytes.gif"));
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/api/filter", Forms.With(gif, "screen.gif", ("kernel", "box")));

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("6412x4882", detail);
        Assert.Contains("2,730 pixels a byte", detail);
        Assert.Contains("crop the screen", detail);
    }

    [Fact]
    public async Task AFlatGifAsLargeAsTheLimitsAllowIsWithinTheBound()
    {
        // One colour compresses best: ImageSharp's encoder is the honest extreme.
        using var image = new Image<Rgba32>(2000, 2000, new Rgba32(40, 80, 120));
        using var stream = new MemoryStream();
        image.SaveAsGif(stream);
        var gif = stream.ToArray();
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/api/filter", Forms.With(gif, "flat.gif", ("kernel", "box"), ("gray", "true")));

        Assert.True(2000L * 2000 <= (long)gif.Length * GifPixelBound.MaxPixelsPerByte, $"{gif.Length} bytes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(2730, 1, 1, true)]
    [InlineData(2731, 1, 1, false)]
    [InlineData(6412, 4882, 45, false)]
    [InlineData(6412, 4882, 11_466, false)]
    [InlineData(6412, 4882, 11_467, true)]
    public void TheBoundIsPixelsPerFileByte(int width, int height, int bytes, bool accepted)
    {
        var refused = Record.Exception(() => GifPixelBound.Check(width, height, bytes));

        Assert.Equal(accepted, refused is null);
    }
}
