namespace ConvService.Api.Images;

/// <summary>
/// The CRC-32 of PNG chunks (ISO 3309, reflected 0xEDB88320), sliced by eight tables so each step consumes eight
/// bytes. System.IO.Hashing would do this but is a NuGet package, not part of the shared framework.
/// </summary>
public static class PngCrc
{
    private static readonly uint[] Tables = BuildTables();

    /// <summary>Continues <paramref name="crc"/> (start with 0) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var tables = Tables.AsSpan();
        var c = ~crc;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            c ^= (uint)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
            c = tables[(7 * 256) + (int)(c & 0xFF)]
                ^ tables[(6 * 256) + (int)((c >> 8) & 0xFF)]
                ^ tables[(5 * 256) + (int)((c >> 16) & 0xFF)]
                ^ tables[(4 * 256) + (int)(c >> 24)]
                ^ tables[(3 * 256) + data[i + 4]]
                ^ tables[(2 * 256) + data[i + 5]]
                ^ tables[256 + data[i + 6]]
                ^ tables[data[i + 7]];
        }

        for (; i < data.Length; i++)
        {
            c = tables[(int)((c ^ data[i]) & 0xFF)] ^ (c >> 8);
        }

        return ~c;
    }

    /// <summary>A plain bit-at-a-time CRC, the reference for the sliced one.</summary>
    public static uint AppendBitwise(uint crc, ReadOnlySpan<byte> data)
    {
        var c = ~crc;
        foreach (var b in data)
        {
            c ^= b;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
        }

        return ~c;
    }

    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (var n = 0; n < 256; n++)
        {
            tables[n] = AppendBitwise(0xFFFFFFFFu, [(byte)n]) ^ 0xFFFFFFFFu;
        }

        for (var n = 0; n < 256; n++)
        {
            for (var t = 1; t < 8; t++)
            {
                var previous = tables[((t - 1) * 256) + n];
                tables[(t * 256) + n] = tables[(int)(previous & 0xFF)] ^ (previous >> 8);
            }
        }

        return tables;
    }
}
