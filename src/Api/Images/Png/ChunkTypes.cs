namespace ConvService.Api.Images.Png;

/// <summary>PNG chunk types as big-endian words, and which ancillary ones leave the pixels as they are.</summary>
internal static class ChunkTypes
{
    public const uint Ihdr = 0x49484452;
    public const uint Idat = 0x49444154;
    public const uint Iend = 0x49454E44;
    public const uint Trns = 0x74524E53;

    /// <summary>
    /// Ancillary chunks other than tRNS (which makes pixels transparent): colour-space, text and time chunks, which
    /// the service's decoders ignore (metadata is not read). Critical chunks (an upper-case first letter) are
    /// not, and neither are types with bytes outside A-Z and a-z, which the specification does not allow.
    /// </summary>
    public static bool IsIgnorable(uint type)
    {
        for (var shift = 0; shift < 32; shift += 8)
        {
            var letter = (byte)(type >> shift) | 0x20;
            if (letter is < (byte)'a' or > (byte)'z')
            {
                return false;
            }
        }

        var ancillary = (type & 0x20000000) != 0;
        return ancillary && type != Trns;
    }
}
