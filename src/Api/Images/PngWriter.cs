using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using ConvService.Api.Images.Deflate;

namespace ConvService.Api.Images;

/// <summary>
/// Writes 8-bit gray, RGB and RGBA PNGs: one IHDR, one IDAT, one IEND. The fast levels deflate with whichever of
/// zlib-ng's level 2, its run-length strategy and <see cref="GreedyDeflater"/> (three-byte matches, which zlib-ng's
/// fast levels miss) writes the smallest sample of the image (<see cref="FastDeflate"/>); the others with zlib-ng. Each row takes the filter whose output has the smallest sum of magnitudes (libpng's heuristic)
/// unless a filter is given. ImageSharp's encoder spent about four times the filter's time on a 1920x1080 response;
/// this one exists for speed, so it writes nothing else (no gamma, no text).
/// </summary>
public static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly PngFilter[] AllFilters = [PngFilter.None, PngFilter.Sub, PngFilter.Up, PngFilter.Average, PngFilter.Paeth];

    /// <summary>
    /// Encodes <paramref name="pixels"/>, rows of <paramref name="width"/> interleaved pixels of
    /// <paramref name="channels"/> bytes (1 gray, 3 RGB, 4 RGBA), with zlib level <paramref name="compressionLevel"/>
    /// (0 stored, 1 and 2 <see cref="FastDeflate"/>, 3 .. 9 zlib-ng's levels).
    /// </summary>
    public static byte[] Write(
        ReadOnlySpan<byte> pixels, int width, int height, int channels, int compressionLevel, PngFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(compressionLevel, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compressionLevel, 9);
        var colourType = channels switch
        {
            1 => (byte)0,
            3 => (byte)2,
            4 => (byte)6,
            _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, "PNG rows here are gray, RGB or RGBA."),
        };
        var stride = checked(width * channels);
        if (pixels.Length != (long)stride * height)
        {
            throw new ArgumentException($"Expected {(long)stride * height} bytes for {width}x{height}x{channels}, got {pixels.Length}.", nameof(pixels));
        }

        // Filtered photos deflate to roughly a third to a half of their raw size; a generous start avoids regrowth.
        var output = new MemoryStream(capacity: (int)Math.Min(int.MaxValue, 64 + ((long)stride * height / 2)));
        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;
        header[9] = colourType;
        header[10] = header[11] = header[12] = 0;
        WriteChunk(output, "IHDR"u8, header);

        var idatStart = (int)output.Position;
        output.Write(stackalloc byte[8]);
        WriteImageData(output, pixels, stride, height, channels, compressionLevel, filter, cancellationToken);
        var idatLength = (int)output.Position - idatStart - 8;

        var buffer = output.GetBuffer();
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(idatStart), idatLength);
        "IDAT"u8.CopyTo(buffer.AsSpan(idatStart + 4));
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, PngCrc.Append(0, buffer.AsSpan(idatStart + 4, idatLength + 4)));
        output.Write(crc);
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>Levels 1 and 2 go through <see cref="FastDeflate"/>, the rest straight to zlib-ng.</summary>
    public static bool UsesFastDeflate(int compressionLevel) => compressionLevel is 1 or 2;

    /// <summary>The image as deflate takes it at the fast levels: each row after its adaptively chosen filter's byte.</summary>
    internal static byte[] FilterRows(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        var filtered = new byte[((width * channels) + 1) * height];
        FilterRows(pixels, width * channels, height, channels, null, filtered, CancellationToken.None);
        return filtered;
    }

    private static void WriteImageData(
        MemoryStream output, ReadOnlySpan<byte> pixels, int stride, int height, int bpp, int compressionLevel, PngFilter? filter, CancellationToken cancellationToken)
    {
        var line = stride + 1;
        if (UsesFastDeflate(compressionLevel))
        {
            // The fast levels choose their deflater on a sample of the filtered image, so it is kept whole.
            var filtered = ArrayPool<byte>.Shared.Rent(checked(line * height));
            try
            {
                FilterRows(pixels, stride, height, bpp, filter, filtered.AsSpan(0, line * height), cancellationToken);
                FastDeflate.Compress(filtered.AsSpan(0, line * height), output, cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(filtered);
            }

            return;
        }

        var scratch = RentScratch(stride);
        try
        {
            using var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = compressionLevel }, leaveOpen: true);
            for (var y = 0; y < height; y++)
            {
                zlib.Write(FilterRow(pixels, y, stride, bpp, filter, scratch, cancellationToken));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static void FilterRows(
        ReadOnlySpan<byte> pixels, int stride, int height, int bpp, PngFilter? filter, Span<byte> filtered, CancellationToken cancellationToken)
    {
        var scratch = RentScratch(stride);
        try
        {
            for (var y = 0; y < height; y++)
            {
                FilterRow(pixels, y, stride, bpp, filter, scratch, cancellationToken).CopyTo(filtered[(y * (stride + 1))..]);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Row 0 is the all-zero row above the image; rows 1..5 hold the candidates, each after its filter byte.</summary>
    private static byte[] RentScratch(int stride)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(stride + (AllFilters.Length * (stride + 1)));
        scratch.AsSpan(0, stride).Clear();
        return scratch;
    }

    /// <summary>Row <paramref name="y"/> after its filter byte, in <paramref name="scratch"/>: the given filter, or the candidate of least cost.</summary>
    private static ReadOnlySpan<byte> FilterRow(
        ReadOnlySpan<byte> pixels, int y, int stride, int bpp, PngFilter? filter, byte[] scratch, CancellationToken cancellationToken)
    {
        // Every 32 rows: a large answer encodes for seconds, and the request's budget covers the encode too.
        if ((y & 31) == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        var line = stride + 1;
        var raw = pixels.Slice(y * stride, stride);
        var prior = y == 0 ? scratch.AsSpan(0, stride) : pixels.Slice((y - 1) * stride, stride);
        if (filter is { } chosen)
        {
            var only = scratch.AsSpan(stride, line);
            only[0] = (byte)chosen;
            PngRowFilters.Apply(chosen, raw, prior, bpp, only[1..]);
            return only;
        }

        Span<byte> best = default;
        var bestCost = long.MaxValue;
        for (var f = 0; f < AllFilters.Length; f++)
        {
            var candidate = scratch.AsSpan(stride + (f * line), line);
            candidate[0] = (byte)AllFilters[f];
            var cost = PngRowFilters.Apply(AllFilters[f], raw, prior, bpp, candidate[1..]);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = candidate;
            }
        }

        return best;
    }

    private static void WriteChunk(MemoryStream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, PngCrc.Append(PngCrc.Append(0, type), data));
        output.Write(word);
    }
}
