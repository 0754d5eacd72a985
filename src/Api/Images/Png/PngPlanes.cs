using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Api.Images.Png;

/// <summary>
/// Reads the PNGs cameras, phones and screenshots produce (8-bit gray, gray and alpha, RGB or RGBA, not interlaced,
/// no palette or transparency chunk) straight into planes, or, for a model, straight into its resampler: zlib-ng
/// (System.IO.Compression) inflates the IDAT stream a window of rows at a time, and each row is unfiltered in place
/// and handed to its <see cref="RowTarget"/>. On a photo that is about a quarter of the time ImageSharp takes to
/// decode to Rgba32 and copy into planes. Everything else, and anything the least irregular (a CRC mismatch, a
/// stream that ends early or runs on, an unknown critical chunk, bytes after IEND), goes to ImageSharp instead, so
/// a file read here gives exactly the values ImageSharp would, and ImageSharp alone decides what to make of the rest.
/// </summary>
internal static class PngPlanes
{
    /// <summary>What ImageSharp calls the format, so answers name it the same whichever decoder read the file.</summary>
    public const string FormatName = "PNG";

    private const int HeaderBytes = 8;
    private const int ChunkOverhead = 12;

    /// <summary>Bytes inflated at a time: whole rows, at least one, within L2 beside the planes being written.</summary>
    private const int WindowBytes = 64 * 1024;

    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>
    /// The planes, or null when the file is not one this reader takes or is irregular in any way (ImageSharp then
    /// decides). <paramref name="checkSize"/> sees the header's width and height before anything is allocated
    /// and throws to refuse them. Cancellation and the size check's refusal propagate; nothing else does.
    /// </summary>
    public static RentedPlanes? TryDecode(ArraySegment<byte> bytes, Action<int, int> checkSize, CancellationToken cancellationToken)
    {
        try
        {
            return Decode(bytes, checkSize, cancellationToken);
        }
        catch (Exception e) when (LeftToImageSharp(e))
        {
            return null;
        }
    }

    /// <summary>
    /// A malformed stream (InvalidDataException, EndOfStreamException) or anything unforeseen: ImageSharp's turn.
    /// Cancellation, running out of memory and the size check's refusal are not.
    /// </summary>
    private static bool LeftToImageSharp(Exception e) =>
        e is not (OperationCanceledException or OutOfMemoryException or Inference.Errors.ConvServiceException);

    /// <summary>As <see cref="TryDecode"/>, letting a malformed stream's exception out (for tests that tell the two apart).</summary>
    internal static RentedPlanes? Decode(ArraySegment<byte> bytes, Action<int, int> checkSize, CancellationToken cancellationToken)
    {
        if (Walk(bytes) is not { } file)
        {
            return null;
        }

        checkSize(file.Width, file.Height);
        return ReadPlanes(bytes, file, cancellationToken);
    }

    /// <summary>
    /// The file as a model's endpoints take it, its chunks walked once: a gray or RGB PNG straight into the resampler
    /// <paramref name="begin"/> gives, every row resampled as it is unfiltered, so the image is never held as planes;
    /// a file with alpha, or one whose size <paramref name="begin"/> declines, as planes. Null when the file is not
    /// one this reader takes or is irregular (ImageSharp then decides). The caller disposes the result. Exceptions
    /// as <see cref="TryDecode"/>.
    /// </summary>
    public static ModelUpload? TryDecodeForModel(ArraySegment<byte> bytes, Action<int, int> checkSize, Func<int, int, RowResampler?> begin, CancellationToken cancellationToken)
    {
        try
        {
            return DecodeForModel(bytes, checkSize, begin, cancellationToken);
        }
        catch (Exception e) when (LeftToImageSharp(e))
        {
            return null;
        }
    }

    /// <summary>As <see cref="TryDecodeForModel"/>, letting a malformed stream's exception out.</summary>
    internal static ModelUpload? DecodeForModel(ArraySegment<byte> bytes, Action<int, int> checkSize, Func<int, int, RowResampler?> begin, CancellationToken cancellationToken)
    {
        if (Walk(bytes) is not { } file)
        {
            return null;
        }

        checkSize(file.Width, file.Height);
        if (file.HasAlpha || begin(file.Width, file.Height) is not { } resampler)
        {
            return ReadPlanes(bytes, file, cancellationToken) is { } planes ? ModelUpload.AsPlanes(planes) : null;
        }

        var kept = false;
        try
        {
            kept = Read(bytes, file, new RowTarget.Resampled(resampler, file.BytesPerPixel), cancellationToken) is not null;
            return kept ? ModelUpload.Resampled(resampler) : null;
        }
        finally
        {
            if (!kept)
            {
                resampler.Dispose();
            }
        }
    }

    /// <summary>The walked file's pixels as planes, RGB unless a pixel is translucent; null when it proves irregular.</summary>
    private static RentedPlanes? ReadPlanes(ArraySegment<byte> bytes, PngLayout file, CancellationToken cancellationToken)
    {
        var planes = new RentedPlanes(file.Width, file.Height, file.HasAlpha ? 4 : 3, FormatName);
        var kept = false;
        try
        {
            if (Read(bytes, file, new RowTarget.Planes(file.ColorType, planes.Values, file.Width, file.Height), cancellationToken) is not { } translucent)
            {
                return null;
            }

            if (file.HasAlpha && !translucent)
            {
                planes.DropAlpha();
            }

            kept = true;
            return planes;
        }
        finally
        {
            if (!kept)
            {
                planes.Dispose();
            }
        }
    }

    /// <summary>
    /// Inflates and unfilters the rows a window at a time, handing each to <paramref name="target"/>; whether a
    /// pixel is translucent, or null for an irregular file.
    /// </summary>
    private static bool? Read(ArraySegment<byte> bytes, PngLayout file, RowTarget target, CancellationToken cancellationToken)
    {
        // Rows are inflated a window at a time (one call per row cost a fifth of the inflate on a photo); the window's
        // first slot holds the row above its first row, zeros above the image.
        var stride = (file.Width * file.BytesPerPixel) + 1;
        var rows = Math.Clamp(WindowBytes / stride, 1, file.Height);
        var window = ArrayPool<byte>.Shared.Rent((rows + 1) * stride);
        try
        {
            window.AsSpan(0, stride).Clear();
            using var inflater = new ZLibStream(new IdatStream(bytes.Array!, bytes.Offset + file.FirstIdat, bytes.Offset + file.IdatEnd), CompressionMode.Decompress);
            var translucent = false;
            for (var y0 = 0; y0 < file.Height; y0 += rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(rows, file.Height - y0);
                inflater.ReadExactly(window.AsSpan(stride, count * stride));
                for (var r = 1; r <= count; r++)
                {
                    var row = window.AsSpan((r * stride) + 1, stride - 1);
                    if (!PngUnfilter.Apply(window[r * stride], row, window.AsSpan(((r - 1) * stride) + 1, stride - 1), file.BytesPerPixel))
                    {
                        return null;
                    }

                    translucent |= target.Write(row, y0 + r - 1);
                }

                window.AsSpan(count * stride, stride).CopyTo(window);
            }

            // The image's bytes are all read; anything more before the stream's end (and its checksum) is irregular.
            Span<byte> probe = stackalloc byte[1];
            return inflater.Read(probe) == 0 ? translucent : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    /// <summary>
    /// The header and where the IDAT chunks lie, or null unless every chunk's CRC holds and the layout is the plain
    /// one: IHDR first, one run of IDAT chunks, IEND last and nothing after it, no PLTE or tRNS, no other critical chunk.
    /// </summary>
    private static PngLayout? Walk(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderBytes + ChunkOverhead + 13 || !data[..HeaderBytes].SequenceEqual(Signature))
        {
            return null;
        }

        PngLayout? header = null;
        int firstIdat = -1, idatEnd = -1;
        var at = HeaderBytes;
        while (at <= data.Length - ChunkOverhead)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
            if (length > (uint)(data.Length - at - ChunkOverhead))
            {
                return null;
            }

            var typeAndData = data.Slice(at + 4, 4 + (int)length);
            if (PngCrc.Append(0, typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(data[(at + 8 + (int)length)..]))
            {
                return null;
            }

            var type = BinaryPrimitives.ReadUInt32BigEndian(typeAndData);
            var body = typeAndData[4..];
            var next = at + ChunkOverhead + (int)length;
            if (header is null)
            {
                if (type != ChunkTypes.Ihdr || (header = ReadHeader(body)) is null)
                {
                    return null;
                }
            }
            else if (type == ChunkTypes.Idat)
            {
                // A second run of IDAT chunks is irregular; an empty IDAT chunk is legal, but ImageSharp 2.1 stops
                // reading the image data at one (its pixels past that point stay transparent black).
                if ((firstIdat >= 0 && idatEnd != at) || length == 0)
                {
                    return null;
                }

                firstIdat = firstIdat < 0 ? at : firstIdat;
                idatEnd = next;
            }
            else if (type == ChunkTypes.Iend)
            {
                return length == 0 && next == data.Length && firstIdat >= 0
                    ? header.Value with { FirstIdat = firstIdat, IdatEnd = idatEnd }
                    : null;
            }
            else if (!ChunkTypes.IsIgnorable(type))
            {
                return null;
            }

            at = next;
        }

        return null;
    }

    private static PngLayout? ReadHeader(ReadOnlySpan<byte> body)
    {
        if (body.Length != 13)
        {
            return null;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(body);
        var height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        int bitDepth = body[8], colorType = body[9];
        var bytesPerPixel = colorType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 0 };

        // Compression, filter method and interlace must all be 0; the size must fit a row buffer.
        if (width is 0 or > 1 << 24 || height is 0 or > 1 << 24 || bitDepth != 8 || bytesPerPixel == 0 || body[10] != 0 || body[11] != 0 || body[12] != 0)
        {
            return null;
        }

        return new PngLayout((int)width, (int)height, colorType, bytesPerPixel, -1, -1);
    }

    private readonly record struct PngLayout(int Width, int Height, int ColorType, int BytesPerPixel, int FirstIdat, int IdatEnd)
    {
        public bool HasAlpha => ColorType is 4 or 6;
    }
}
