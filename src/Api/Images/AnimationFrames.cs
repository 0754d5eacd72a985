using System.Buffers.Binary;

namespace ConvService.Api.Images;

/// <summary>
/// Counts frames of animated images by walking their block structure, without decoding pixels, so a file with
/// thousands of frames is refused before the decoder spends time or memory on it.
/// </summary>
public static class AnimationFrames
{
    /// <summary>GIF: counts image descriptors (0x2C) while skipping extension and image data sub-blocks.</summary>
    public static int CountGif(ReadOnlySpan<byte> gif)
    {
        if (gif.Length < 13)
        {
            return 0;
        }

        var flags = gif[10];
        var at = 13 + ((flags & 0x80) != 0 ? 3 * (1 << ((flags & 0x07) + 1)) : 0);
        var frames = 0;
        while (at < gif.Length)
        {
            switch (gif[at])
            {
                case 0x2C:
                    frames++;
                    if (at + 10 > gif.Length)
                    {
                        return frames;
                    }

                    var local = gif[at + 9];
                    at += 10 + ((local & 0x80) != 0 ? 3 * (1 << ((local & 0x07) + 1)) : 0);
                    at += 1; // LZW minimum code size
                    at = SkipSubBlocks(gif, at);
                    break;
                case 0x21:
                    at = SkipSubBlocks(gif, at + 2);
                    break;
                default:
                    // 0x3B is the trailer; anything else means the rest cannot be walked.
                    return frames;
            }
        }

        return frames;
    }

    /// <summary>WebP: an animated file holds one ANMF chunk per frame; a still image counts as one.</summary>
    public static int CountWebp(ReadOnlySpan<byte> webp)
    {
        var frames = 0;
        var at = 12;
        while (at + 8 <= webp.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp.Slice(at + 4, 4));
            if (webp.Slice(at, 4).SequenceEqual("ANMF"u8))
            {
                frames++;
            }

            var next = at + 8L + size + (size & 1);
            if (next > webp.Length)
            {
                break;
            }

            at = (int)next;
        }

        return Math.Max(frames, 1);
    }

    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int at)
    {
        while (at < data.Length)
        {
            var length = data[at];
            at += 1 + length;
            if (length == 0)
            {
                break;
            }
        }

        return at;
    }
}
