using System.Buffers;
using System.Buffers.Binary;

namespace ConvService.Api.Images.Deflate;

/// <summary>Deflate's bit order (least significant bit first) into a stream, 32 bits at a time through a pooled buffer.</summary>
internal sealed class DeflateBitWriter : IDisposable
{
    private readonly Stream output;
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int position;
    private ulong bits;
    private int count;

    public DeflateBitWriter(Stream output) => this.output = output;

    /// <summary>Appends the low <paramref name="length"/> bits of <paramref name="value"/> (at most 32).</summary>
    public void Write(uint value, int length)
    {
        bits |= (ulong)value << count;
        count += length;
        if (count >= 32)
        {
            if (position > buffer.Length - 4)
            {
                FlushBuffer();
            }

            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(position), (uint)bits);
            position += 4;
            bits >>= 32;
            count -= 32;
        }
    }

    /// <summary>
    /// Hands a hot loop the buffer with room for <paramref name="bytes"/> more from <paramref name="position"/>, and
    /// the pending bits (fewer than eight); <see cref="End"/> takes them back. Locals stay in registers where this
    /// object's fields would not.
    /// </summary>
    public byte[] Begin(int bytes, out int position, out ulong pending, out int pendingCount)
    {
        while (count >= 8)
        {
            if (this.position == buffer.Length)
            {
                FlushBuffer();
            }

            buffer[this.position++] = (byte)bits;
            bits >>= 8;
            count -= 8;
        }

        if (this.position > buffer.Length - bytes)
        {
            FlushBuffer();
        }

        position = this.position;
        pending = bits;
        pendingCount = count;
        return buffer;
    }

    public void End(int position, ulong pending, int pendingCount)
    {
        this.position = position;
        bits = pending;
        count = pendingCount;
    }

    /// <summary>Pads the last partial byte with zeros, as the end of a final block and stored data require.</summary>
    public void AlignToByte()
    {
        while (count > 0)
        {
            if (position == buffer.Length)
            {
                FlushBuffer();
            }

            buffer[position++] = (byte)bits;
            bits >>= 8;
            count = Math.Max(0, count - 8);
        }

        bits = 0;
    }

    /// <summary>Whole bytes after <see cref="AlignToByte"/>.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        FlushBuffer();
        output.Write(bytes);
    }

    public void Flush() => FlushBuffer();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private void FlushBuffer()
    {
        output.Write(buffer, 0, position);
        position = 0;
    }
}
