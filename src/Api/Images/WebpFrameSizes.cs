using System.Buffers.Binary;

namespace ConvService.Api.Images;

/// <summary>
/// The sizes the VP8 and VP8L bitstreams inside a WebP declare, read without ImageSharp. ImageSharp 2.x sizes
/// the image by the bitstream and ignores the VP8X canvas, so a 130-byte file claiming a 7x5 canvas decodes
/// 7426x2934 pixels; each bitstream must pass the limits, and a still image's must match its canvas.
/// </summary>
public static class WebpFrameSizes
{
    /// <summary>
    /// Every VP8 or VP8L bitstream header anywhere in the file, found by searching rather than by walking the chunk
    /// list: the decoder reads past chunk sizes a walk would trust (fuzzing found a VP8X chunk claiming 268 MB
    /// that hid the frame behind it from a walk), so a search cannot miss a bitstream the decoder will use.
    /// </summary>
    public static IReadOnlyList<(int Width, int Height)> Read(ReadOnlySpan<byte> webp)
    {
        var sizes = new List<(int, int)>();
        foreach (var (at, lossy) in Bitstreams(webp))
        {
            var data = webp[at..];
            if (lossy)
            {
                sizes.Add(Vp8Size(data));
            }
            else
            {
                var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
                sizes.Add((1 + (int)(bits & 0x3fff), 1 + (int)((bits >> 14) & 0x3fff)));
            }
        }

        return sizes;
    }

    /// <summary>Where each bitstream's data starts (past its chunk header), and whether it is lossy (VP8) or lossless (VP8L).</summary>
    internal static List<(int Data, bool Lossy)> Bitstreams(ReadOnlySpan<byte> webp)
    {
        var found = new List<(int, bool)>();
        for (var at = 12; at + 8 + 10 <= webp.Length; at++)
        {
            var data = webp[(at + 8)..];
            if (webp.Slice(at, 4).SequenceEqual("VP8 "u8) && data[3] == 0x9d && data[4] == 0x01 && data[5] == 0x2a)
            {
                found.Add((at + 8, true));
            }
            else if (webp.Slice(at, 4).SequenceEqual("VP8L"u8) && data[0] == 0x2f)
            {
                found.Add((at + 8, false));
            }
        }

        return found;
    }

    /// <summary>A VP8 key frame's size: 14 bits each after the 3-byte frame tag and the start code.</summary>
    internal static (int Width, int Height) Vp8Size(ReadOnlySpan<byte> data) =>
        (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3fff, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3fff);

    /// <summary>An animation has an ANIM chunk; its frames may be smaller than the canvas.</summary>
    public static bool IsAnimated(ReadOnlySpan<byte> webp) => webp.IndexOf("ANIM"u8) >= 0 || webp.IndexOf("ANMF"u8) >= 0;

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
}
