using ConvService.Api.Images;
using ConvService.Api.Infrastructure;
using ConvService.Api.Tests.Support;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Api.Tests.Images;

/// <summary>Decoding into pooled planes gives exactly the planes of the ordinary decode, opaque or translucent.</summary>
public sealed class RentedDecodeTests
{
    private static readonly ImageCodec Codec = new(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));

    [Theory]
    [InlineData("chelsea.png")]
    [InlineData("coffee.png")]
    public async Task PooledPlanesOfASamplePhotoEqualTheOrdinaryDecode(string sample)
    {
        var bytes = TestImages.Sample(sample);
        var expected = Codec.Decode(bytes, gray: false);
        using var rented = await Codec.DecodeRentedAsync(bytes, CancellationToken.None);

        Assert.Equal((expected.Width, expected.Height, expected.Planes.Channels, expected.Format), (rented.Width, rented.Height, rented.Channels, rented.Format));
        Assert.Equal(expected.Planes.Data, rented.Values.ToArray());
    }

    [Fact]
    public async Task OneTranslucentPixelGivesFourPlanesBothWays()
    {
        using var image = new Image<Rgba32>(5, 3, new Rgba32(10, 20, 30, 255));
        image[4, 2] = new Rgba32(40, 50, 60, 128);
        using var png = new MemoryStream();
        image.Save(png, new PngEncoder());
        var bytes = png.ToArray();

        var expected = Codec.Decode(bytes, gray: false);
        using var rented = await Codec.DecodeRentedAsync(bytes, CancellationToken.None);

        Assert.Equal(4, expected.Planes.Channels);
        Assert.Equal(4, rented.Channels);
        Assert.Equal(expected.Planes.Data, rented.Values.ToArray());
        Assert.Equal(128f, rented.Values.Span[(3 * 15) + 14]);
    }

    [Fact]
    public async Task DisposedPlanesCannotBeRead()
    {
        var rented = await Codec.DecodeRentedAsync(TestImages.GradientPng(4, 4), CancellationToken.None);
        rented.Dispose();
        Assert.Throws<ObjectDisposedException>(() => rented.Values);
    }
}
