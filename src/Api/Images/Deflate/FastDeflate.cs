using System.Buffers;
using System.IO.Compression;

namespace ConvService.Api.Images.Deflate;

/// <summary>The deflaters the fast levels choose from.</summary>
public enum FastDeflater
{
    /// <summary>zlib-ng's level 2: four-byte matches, dynamic Huffman codes.</summary>
    ZLib,

    /// <summary>zlib-ng's run-length strategy: matches at distance one only, the fastest of the three.</summary>
    ZLibRunLength,

    /// <summary><see cref="GreedyDeflater"/>: three-byte matches, which zlib-ng's fast levels miss.</summary>
    Greedy,
}

/// <summary>
/// The fast levels' choice, per image, of the deflater that writes the smallest sample of it. On the filtered
/// 1920x1080 coffee sobel-x, zlib-ng's run-length strategy wrote 11% less than its level 2 in two thirds of the
/// time; on gray textures stored as RGB the greedy deflater wrote about 25% less than either; on box-filtered
/// images level 2 wrote least (docs/performance.md).
/// </summary>
public static class FastDeflate
{
    public const int ZLibLevel = 2;

    /// <summary>Stretches taken from across the image for the sample, and each one's length.</summary>
    private const int SampleStretches = 4;

    private const int StretchBytes = 16 * 1024;

    /// <summary>Writes <paramref name="data"/> to <paramref name="output"/> as one zlib stream with the sample's choice.</summary>
    public static void Compress(ReadOnlySpan<byte> data, Stream output, CancellationToken cancellationToken = default) =>
        Compress(Choose(data), data, output, cancellationToken);

    /// <summary>Writes <paramref name="data"/> to <paramref name="output"/> as one zlib stream with <paramref name="deflater"/>.</summary>
    public static void Compress(FastDeflater deflater, ReadOnlySpan<byte> data, Stream output, CancellationToken cancellationToken = default)
    {
        if (deflater == FastDeflater.Greedy)
        {
            GreedyDeflater.Compress(data, output, cancellationToken);
            return;
        }

        var strategy = deflater == FastDeflater.ZLibRunLength ? ZLibCompressionStrategy.RunLengthEncoding : ZLibCompressionStrategy.Default;
        using var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = ZLibLevel, CompressionStrategy = strategy }, leaveOpen: true);
        for (var at = 0; at < data.Length; at += 1 << 20)
        {
            // A megabyte at a time, so a cancelled request stops within one.
            cancellationToken.ThrowIfCancellationRequested();
            zlib.Write(data.Slice(at, Math.Min(1 << 20, data.Length - at)));
        }
    }

    /// <summary>The deflater that writes the smallest stream for a sample of <paramref name="data"/> (all of it when short); ties go to the earlier one.</summary>
    public static FastDeflater Choose(ReadOnlySpan<byte> data)
    {
        var sampleLength = Math.Min(data.Length, SampleStretches * StretchBytes);
        var sample = ArrayPool<byte>.Shared.Rent(sampleLength);
        try
        {
            if (sampleLength == data.Length)
            {
                data.CopyTo(sample);
            }
            else
            {
                // Stretches centred on the eighths 1, 3, 5 and 7 of the data.
                for (var s = 0; s < SampleStretches; s++)
                {
                    var centre = (int)((2L * s + 1) * data.Length / (2 * SampleStretches));
                    data.Slice(centre - (StretchBytes / 2), StretchBytes).CopyTo(sample.AsSpan(s * StretchBytes));
                }
            }

            using var scratch = new MemoryStream(sampleLength + 64);
            var best = FastDeflater.ZLib;
            var bestLength = long.MaxValue;
            foreach (var deflater in Enum.GetValues<FastDeflater>())
            {
                scratch.SetLength(0);
                Compress(deflater, sample.AsSpan(0, sampleLength), scratch);
                if (scratch.Length < bestLength)
                {
                    bestLength = scratch.Length;
                    best = deflater;
                }
            }

            return best;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sample);
        }
    }
}
