namespace ConvService.Api.Images;

/// <summary>
/// A lossy WebP's VP8 key frame codes every macroblock's prediction modes in its first partition, with
/// probabilities fixed by the format: at least 0.91 bits for the luma mode and 0.85 for the chroma mode, so at least
/// 1.76 bits a macroblock (libwebp writes 3.4 or more even for one flat colour). Past the end of its data the decoder
/// reads zeros, which are valid modes, so a truncated or forged frame still decodes at the size it declares: fuzzing
/// found 168 bytes declaring 33.8 megapixels that decoded for seconds. A first partition holding less than one bit a
/// macroblock cannot be an honest frame.
/// </summary>
public static class Vp8ModeBudget
{
    /// <summary>Bits of first partition required per macroblock: under the format's 1.76, so honest files keep a margin.</summary>
    public const int MacroblocksPerByte = 8;

    /// <summary>A VP8 frame's declared size and the first-partition bytes the file really holds.</summary>
    public readonly record struct Frame(int Width, int Height, long Macroblocks, long PartitionBytes)
    {
        public long NeededBytes => (Macroblocks + MacroblocksPerByte - 1) / MacroblocksPerByte;

        public bool Honest => PartitionBytes >= NeededBytes;
    }

    /// <summary>
    /// Every VP8 key frame in the file, found as <see cref="WebpFrameSizes"/> finds them. The first partition starts
    /// 10 bytes into the bitstream; its length is the frame tag's 19-bit size, or what is left of the file.
    /// </summary>
    public static IReadOnlyList<Frame> Read(ReadOnlySpan<byte> webp)
    {
        var frames = new List<Frame>();
        foreach (var (at, lossy) in WebpFrameSizes.Bitstreams(webp))
        {
            if (!lossy)
            {
                continue;
            }

            var data = webp[at..];
            var declared = (data[0] | (data[1] << 8) | (data[2] << 16)) >> 5;
            var (width, height) = WebpFrameSizes.Vp8Size(data);
            var macroblocks = (long)((width + 15) / 16) * ((height + 15) / 16);
            frames.Add(new Frame(width, height, macroblocks, Math.Min(declared, data.Length - 10)));
        }

        return frames;
    }
}
