using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ConvService.Api.Tests.Support;

/// <summary>Builds PNG files chunk by chunk, so tests can send headers and chunks no encoder would write.</summary>
public static class PngChunks
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>An IHDR payload: width, height, bit depth, colour type, then deflate, filter and no interlace.</summary>
    public static byte[] Header(int width, int height, byte bitDepth = 8, byte colorType = 0)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        return ihdr;
    }

    /// <summary>8-bit gray pixel rows (filter byte 0 each), zlib-compressed as an IDAT payload.</summary>
    public static byte[] GrayPixels(int width, int height, byte value = 128)
    {
        var raw = new byte[height * (width + 1)];
        for (var y = 0; y < height; y++)
        {
            raw.AsSpan(y * (width + 1) + 1, width).Fill(value);
        }

        return Zlib(raw);
    }

    public static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>A file of the signature, IHDR, the given chunks in order, and IEND.</summary>
    public static byte[] File(byte[] ihdr, params (string Type, byte[] Data)[] chunks)
    {
        using var stream = new MemoryStream();
        stream.Write(Signature);
        Write(stream, "IHDR", ihdr);
        foreach (var (type, data) in chunks)
        {
            Write(stream, type, data);
        }

        Write(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void Write(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    /// <summary>PNG's CRC-32 (ISO 3309), bit by bit: test files are small.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
