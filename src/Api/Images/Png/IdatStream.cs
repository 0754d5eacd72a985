namespace ConvService.Api.Images.Png;

/// <summary>
/// The zlib stream of a run of consecutive IDAT chunks, read in place from the file's bytes; the run's chunk
/// boundaries and CRCs were checked before, so this only skips each chunk's length, type and CRC.
/// </summary>
internal sealed class IdatStream(byte[] bytes, int firstChunk, int end) : Stream
{
    private int chunk = firstChunk;
    private int offset = firstChunk + 8;
    private int left = DataLength(bytes, firstChunk);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        while (left == 0)
        {
            chunk += 12 + DataLength(bytes, chunk);
            if (chunk >= end)
            {
                return 0;
            }

            offset = chunk + 8;
            left = DataLength(bytes, chunk);
        }

        var count = Math.Min(left, buffer.Length);
        bytes.AsSpan(offset, count).CopyTo(buffer);
        offset += count;
        left -= count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static int DataLength(byte[] bytes, int chunk) => (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(chunk));
}
