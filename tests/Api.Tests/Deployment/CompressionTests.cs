using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Deployment;

public sealed class CompressionTests
{
    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task AJsonAnswerIsCompressedAndDecodesToTheSameBody(string encoding)
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        var plain = await client.GetByteArrayAsync("/api/networks/vgg16/report");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/networks/vgg16/report");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < plain.Length / 2, $"{compressed.Length} bytes compressed against {plain.Length}");
        Assert.Equal(plain, Decode(compressed, encoding));
    }

    [Fact]
    public async Task AnImageIsNeverCompressed()
    {
        await using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/filter/banks/lm/image");
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((byte)0x89, png[0]);
        Assert.Equal((byte)'P', png[1]);
    }

    private static byte[] Decode(byte[] compressed, string encoding)
    {
        using var input = new MemoryStream(compressed);
        using Stream decoder = encoding == "br"
            ? new BrotliStream(input, CompressionMode.Decompress)
            : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
