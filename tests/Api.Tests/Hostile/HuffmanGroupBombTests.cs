using System.Net;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Hostile;

/// <summary>
/// A 56-byte lossless WebP (found by fuzzing) names about 37,000 Huffman groups; ImageSharp 2.1 allocated 878 MB
/// for their tables before failing. Measured by the bytes the process allocates, so run alone.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class HuffmanGroupBombTests
{
    [Fact]
    public async Task TheGroupsAreCountedBeforeTheDecoderAllocatesThem()
    {
        var bomb = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "FuzzFindings", "image-webp-lossless-huffman-groups-878mb.webp"));
        using var factory = ServiceFactory.Create();
        using var client = factory.CreateClient();
        using var warmUp = await client.PostAsync("/api/filter", Forms.With(TestImages.GradientPng(8, 8), fields: ("kernel", "box")));

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await client.PostAsync("/api/filter", Forms.With(bomb, "bomb.webp", ("kernel", "box")));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Huffman code groups", body);
        Assert.True(allocated < 32 << 20, $"The request allocated {allocated:N0} bytes: the decoder's tables were allocated.");
    }
}
