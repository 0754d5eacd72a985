using System.Buffers.Binary;

namespace ConvService.Api.Images;

/// <summary>
/// The sizes the VP8 and VP8L bitstreams inside a WebP declare. ImageSharp 2.x reports the VP8X canvas as the
/// image size but decodes each bitstream at its own size, so a 7x5 canvas can hide a 7426x2934 frame: the
/// pixel and side limits must hold for these sizes too.
/// </summary>
public static class WebpFrameSizes
{
    public static IReadOnlyList<(int Width, int Height)> Read(ReadOnlySpan<byte> webp)
    {
        var sizes = new List<(int, int)>();
        Walk(webp, 12, webp.Length, sizes);
        return sizes;
    }

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
