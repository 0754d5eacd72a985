using System.IO.Compression;
using ConvService.Api.Images;
using ConvService.Api.Images.Deflate;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Images.Deflate;

/// <summary>The greedy deflater's streams inflate (with the runtime's zlib) to exactly what went in.</summary>
public sealed class GreedyDeflaterTests
{
    public static TheoryData<string> Inputs() => new(Samples.Keys);

    private static readonly Dictionary<string, Func<byte[]>> Samples = new()
    {
        ["empty"] = () => [],
        ["one byte"] = () => [7],
        ["three bytes"] = () => [1, 2, 3],
        ["four equal bytes"] = () => [9, 9, 9, 9],
        ["random 100 KiB"] = () => Random(100_000, 256, seed: 1),
        ["zeros 200 KiB, matches capped at 258"] = () => new byte[200_000],
        ["four symbols 300 KiB, many blocks"] = () => Random(300_000, 4, seed: 2),
        ["gray texture as RGB"] = () => Tripled(Random(70_000, 12, seed: 3)),
        ["repeat at the window's far edge"] = RepeatAtWindowEdge,
        ["every byte value in runs"] = () => Enumerable.Range(0, 256 * 40).Select(i => (byte)(i / 40)).ToArray(),
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void InflatesToTheInput(string name)
    {
        var input = Samples[name]();
        var compressed = Compress(input);
        Assert.Equal(input, FilteredSamples.Inflate(compressed));
        Assert.Equal(0, ((compressed[0] << 8) | compressed[1]) % 31);
    }

    [Fact]
    public void BeatsZlibNgsFastLevelOnAGrayTextureAsRgb()
    {
        // Sobel-x of grass.png as RGB: three equal bytes a pixel, mostly zeros and small values. Here most repeats
        // are a single pixel, three bytes, which zlib-ng's fast levels (a four-byte hash) cannot find.
        var input = PixelBytes.Interleave(FilteredSamples.Filter("grass.png", "sobel-x"), 1f, 0f);

        var ours = Compress(input);
        Assert.Equal(input, FilteredSamples.Inflate(ours));
        using var reference = new MemoryStream();
        using (var zlib = new ZLibStream(reference, new ZLibCompressionOptions { CompressionLevel = 2 }, leaveOpen: true))
        {
            zlib.Write(input);
        }

        Assert.True(ours.Length < reference.Length * 0.9, $"{ours.Length} bytes against zlib-ng level 2's {reference.Length}");
    }

    [Fact]
    public void StopsWhenCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => GreedyDeflater.Compress(Random(100_000, 256, seed: 5), Stream.Null, cancelled.Token));
    }

    private static byte[] Compress(byte[] input)
    {
        using var output = new MemoryStream();
        GreedyDeflater.Compress(input, output);
        return output.ToArray();
    }

    private static byte[] Random(int length, int alphabet, int seed)
    {
        var rng = new Random(seed);
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)rng.Next(alphabet);
        }

        return bytes;
    }

    private static byte[] Tripled(byte[] gray) => gray.SelectMany(v => new[] { v, v, v }).ToArray();

    /// <summary>Random bytes, then a copy of a stretch exactly 32768 bytes back (the farthest distance) and one just beyond.</summary>
    private static byte[] RepeatAtWindowEdge()
    {
        var bytes = Random(32768 + 200, 256, seed: 6);
        var longer = new byte[bytes.Length + 200];
        bytes.CopyTo(longer, 0);
        bytes.AsSpan(bytes.Length - 32768, 100).CopyTo(longer.AsSpan(bytes.Length));
        bytes.AsSpan(bytes.Length - 32769 + 100, 100).CopyTo(longer.AsSpan(bytes.Length + 100));
        return longer;
    }
}
