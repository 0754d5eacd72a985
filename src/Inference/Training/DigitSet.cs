using System.Buffers.Binary;
using System.IO.Compression;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Training;

/// <summary>
/// Labelled 28x28 grey digits stored as bytes (0 = background, 255 = full ink), as in MNIST.
/// File format (the whole file gzip-compressed): ASCII "DIGT", then little-endian int32 count, rows, columns,
/// then count label bytes, then count*rows*columns pixel bytes, image after image, row by row.
/// </summary>
public sealed class DigitSet
{
    private static ReadOnlySpan<byte> Magic => "DIGT"u8;

    public DigitSet(byte[] labels, byte[] pixels, int rows = LeNet5Layout.ImageSize, int columns = LeNet5Layout.ImageSize)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != labels.Length * rows * columns)
        {
            throw new ArgumentException($"{labels.Length} digits of {rows}x{columns} need {labels.Length * rows * columns} pixels, not {pixels.Length}.", nameof(pixels));
        }

        Labels = labels;
        Pixels = pixels;
        Rows = rows;
        Columns = columns;
    }

    public int Count => Labels.Length;

    public int Rows { get; }

    public int Columns { get; }

    public byte[] Labels { get; }

    public byte[] Pixels { get; }

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * Rows * Columns, Rows * Columns);

    /// <summary>Writes one digit as floats 0..1 (pixel / 255), the network's input scale.</summary>
    public void CopyScaled(int index, Span<float> destination)
    {
        var image = Image(index);
        for (var i = 0; i < image.Length; i++)
        {
            destination[i] = image[i] / 255f;
        }
    }

    public static DigitSet Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file);
    }

    public static DigitSet Read(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        Span<byte> header = stackalloc byte[16];
        gzip.ReadExactly(header);
        if (!header[..4].SequenceEqual(Magic))
        {
            throw ConvServiceException.DoesNotFit(
                "Not a digit file", "The file does not start with \"DIGT\"; give a gzip-compressed digit set written by DigitSet.Write.");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        var rows = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var columns = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        if (count < 0 || rows is <= 0 or > 4096 || columns is <= 0 or > 4096 || (long)count * rows * columns > int.MaxValue)
        {
            throw ConvServiceException.DoesNotFit(
                "Not a digit file", $"The header says {count} digits of {rows}x{columns}, which is not a valid digit set; rewrite the file.");
        }

        var labels = new byte[count];
        var pixels = new byte[count * rows * columns];
        gzip.ReadExactly(labels);
        gzip.ReadExactly(pixels);
        return new DigitSet(labels, pixels, rows, columns);
    }

    public void Write(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        Span<byte> header = stackalloc byte[16];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Rows);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], Columns);
        gzip.Write(header);
        gzip.Write(Labels);
        gzip.Write(Pixels);
    }
}
