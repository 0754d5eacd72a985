using System.Net;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hostile;

/// <summary>Decompression bombs hidden in image metadata: measured by the bytes the process allocates, so run alone.</summary>
[Collection(MeasuredAlone.Name)]
public sealed class MetadataBombTests
{
    [Fact]
    public async Task CompressedTextChunksAreNeverInflated()
    {
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();

        // zTXt: keyword, NUL, method 0, then 64 MiB of text deflated to about 64 KB.
        byte[] text = [.. "Comment"u8, 0, 0, .. PngChunks.Zlib(new byte[64 << 20])];
        var bomb = PngChunks.File(PngChunks.Header(8, 8), ("zTXt", text), ("IDAT", PngChunks.GrayPixels(8, 8)));
        using var warmUp = await client.PostAsync("/api/filter", Forms.With(TestImages.GradientPng(8, 8), fields: ("kernel", "box")));

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await client.PostAsync("/api/filter", Forms.With(bomb, fields: ("kernel", "box")));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(allocated < 32 << 20, $"The request allocated {allocated:N0} bytes: the text chunk was inflated.");
    }
}
