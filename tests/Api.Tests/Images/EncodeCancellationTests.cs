using ConvService.Api.Images;
using ConvService.Api.Infrastructure;
using ConvService.Inference.Filters;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Tests.Images;

/// <summary>The request's budget reaches the encoders: PNG checks between rows, JPEG at each write of its output.</summary>
public sealed class EncodeCancellationTests
{
    private static readonly ImageCodec Codec = new(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));

    private static FloatImage Image(int channels)
    {
        var image = new FloatImage(64, 48, channels);
        var random = new Random(5);
        for (var i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = random.Next(256);
        }

        return image;
    }

    [Theory]
    [InlineData(ImageOutputFormat.Png, 1)]
    [InlineData(ImageOutputFormat.Png, 3)]
    [InlineData(ImageOutputFormat.Jpeg, 3)]
    public void ACancelledBudgetStopsTheEncode(ImageOutputFormat format, int channels)
    {
        var image = Image(channels);
        Assert.NotEmpty(Codec.Encode(image, format, cancellationToken: CancellationToken.None));
        Assert.ThrowsAny<OperationCanceledException>(() => Codec.Encode(image, format, cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void TheJpegOutputStreamRefusesWritesOnceCancelled()
    {
        using var source = new CancellationTokenSource();
        using var inner = new MemoryStream();
        using var stream = new CancellableWriteStream(inner, source.Token);
        stream.Write([1, 2, 3]);
        source.Cancel();
        Assert.Throws<OperationCanceledException>(() => stream.Write([4]));
        Assert.Equal([1, 2, 3], inner.ToArray());
    }
}
