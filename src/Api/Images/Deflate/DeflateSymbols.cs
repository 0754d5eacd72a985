namespace ConvService.Api.Images.Deflate;

/// <summary>Deflate's length and distance alphabets (RFC 1951, section 3.2.5) as lookup tables.</summary>
internal static class DeflateSymbols
{
    public const int LiteralLengthCount = 286;
    public const int DistanceCount = 30;
    public const int EndOfBlock = 256;
    public const int MinMatch = 3;
    public const int MaxMatch = 258;
    public const int Window = 32768;

    public static ReadOnlySpan<ushort> LengthBase =>
        [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];

    public static ReadOnlySpan<byte> LengthExtraBits =>
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];

    public static ReadOnlySpan<ushort> DistanceBase =>
        [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];

    public static ReadOnlySpan<byte> DistanceExtraBits =>
        [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

    /// <summary>Length code index (0..28, symbol 257 + index) of each match length 0..258.</summary>
    public static readonly byte[] LengthCode = BuildLengthCodes();

    /// <summary>Distance code (0..29) of each distance - 1 in 0..32767.</summary>
    public static readonly byte[] DistanceCode = BuildDistanceCodes();

    private static byte[] BuildLengthCodes()
    {
        var codes = new byte[MaxMatch + 1];
        for (var code = 0; code < LengthBase.Length - 1; code++)
        {
            for (var length = LengthBase[code]; length < LengthBase[code] + (1 << LengthExtraBits[code]) && length < MaxMatch; length++)
            {
                codes[length] = (byte)code;
            }
        }

        // 258 has its own code with no extra bits, though code 27's range would also reach it.
        codes[MaxMatch] = (byte)(LengthBase.Length - 1);
        return codes;
    }

    private static byte[] BuildDistanceCodes()
    {
        var codes = new byte[Window];
        for (var code = 0; code < DistanceBase.Length; code++)
        {
            for (var distance = DistanceBase[code]; distance < DistanceBase[code] + (1 << DistanceExtraBits[code]); distance++)
            {
                codes[distance - 1] = (byte)code;
            }
        }

        return codes;
    }
}
