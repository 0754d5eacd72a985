using System.Buffers;

namespace ConvService.Api.Images;

/// <summary>An uploaded file's bytes in an array rented from the shared pool; disposing hands it back, after which nothing may read them.</summary>
public sealed class RentedUpload : IDisposable
{
    private byte[]? buffer;

    public RentedUpload(int length)
    {
        Length = length;
        buffer = ArrayPool<byte>.Shared.Rent(length);
    }

    public int Length { get; }

    /// <summary>Exactly the file's bytes (the rented array may be longer).</summary>
    public ArraySegment<byte> Bytes => new(buffer ?? throw new ObjectDisposedException(nameof(RentedUpload)), 0, Length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
