namespace ConvService.Api.Images.Deflate;

/// <summary>The zlib stream's checksum (RFC 1950, section 8.2) over the uncompressed bytes.</summary>
public static class Adler32
{
    private const uint Modulus = 65521;

    /// <summary>The largest run of bytes whose sums cannot overflow 32 bits before the modulus is taken (zlib's NMAX).</summary>
    private const int MaxRun = 5552;

    public const uint Initial = 1;

    public static uint Append(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xFFFF, b = adler >> 16;
        while (!data.IsEmpty)
        {
            var run = data[..Math.Min(data.Length, MaxRun)];
            var i = 0;
            for (; i <= run.Length - 4; i += 4)
            {
                a += run[i];
                b += a;
                a += run[i + 1];
                b += a;
                a += run[i + 2];
                b += a;
                a += run[i + 3];
                b += a;
            }

            for (; i < run.Length; i++)
            {
                a += run[i];
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[run.Length..];
        }

        return (b << 16) | a;
    }
}
