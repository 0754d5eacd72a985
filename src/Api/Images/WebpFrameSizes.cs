using System.Buffers.Binary;

namespace ConvService.Api.Images;

/// <summary>
/// The sizes the VP8 and VP8L bitstreams inside a WebP declare, read without ImageSharp. ImageSharp 2.x sizes
/// the image by the bitstream and ignores the VP8X canvas, so a 130-byte file claiming a 7x5 canvas decodes
/// 7426x2934 pixels; each bitstream must pass the limits, and a still image's must match its canvas.
/// </summary>
public static class WebpFrameSizes
{
    public static IReadOnlyList<(int Width, int Height)> Read(ReadOnlySpan<byte> webp)
    {
        var sizes = new List<(int, int)>();
        Walk(webp, 12, webp.Length, sizes);
        return sizes;
    }

    /// <summary>The VP8X canvas (each side stored minus one in 24 bits), or null when the file has no VP8X chunk.</summary>
    public static (int Width, int Height)? Canvas(ReadOnlySpan<byte> webp)
    {
        if (webp.Length < 30 || !webp.Slice(12, 4).SequenceEqual("VP8X"u8))
        {
            return null;
        }

        return (1 + Read24(webp[24..]), 1 + Read24(webp[27..]));
    }

    private static int Read24(ReadOnlySpan<byte> bytes) => bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);

    private static void Walk(ReadOnlySpan<byte> webp, int at, int end, List<(int, int)> sizes)
    {
        while (at + 8 <= end)
        {
            var fourCc = webp.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp.Slice(at + 4, 4));

            // A chunk that claims more than the file holds is read as far as the file goes, as the decoder does.
            var dataEnd = (int)Math.Min(end, at + 8L + size);
            var data = webp[(at + 8)..dataEnd];
            if (fourCc.SequenceEqual("VP8 "u8) && data.Length >= 10 && data[3] == 0x9d && data[4] == 0x01 && data[5] == 0x2a)
            {
                sizes.Add((BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3fff, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3fff));
            }
            else if (fourCc.SequenceEqual("VP8L"u8) && data.Length >= 5 && data[0] == 0x2f)
            {
                var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
                sizes.Add((1 + (int)(bits & 0x3fff), 1 + (int)((bits >> 14) & 0x3fff)));
            }
            else if (fourCc.SequenceEqual("ANMF"u8) && data.Length > 16)
            {
                // An animation frame: 16 bytes of placement, then its own bitstream chunks.
                Walk(webp, at + 8 + 16, dataEnd, sizes);
            }

            var next = at + 8L + size + (size & 1);
            if (next > end)
            {
                return;
            }

            at = (int)next;
        }
    }
}
