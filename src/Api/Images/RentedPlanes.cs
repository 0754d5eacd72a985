using System.Buffers;

namespace ConvService.Api.Images;

/// <summary>
/// A decoded upload as planes of 0..255 (RGB, or RGBA when any pixel is translucent) in an array rented from the
/// shared pool, which may be longer than the planes; disposing hands it back, after which nothing may read it.
/// </summary>
public sealed class RentedPlanes : IDisposable
{
    private float[]? buffer;

    public RentedPlanes(int width, int height, int channels, string format)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Format = format;
        buffer = ArrayPool<float>.Shared.Rent(checked(width * height * channels));
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; private set; }

    public string Format { get; }

    /// <summary>Exactly Channels * Height * Width values, channel after channel.</summary>
    public Memory<float> Values => (buffer ?? throw new ObjectDisposedException(nameof(RentedPlanes))).AsMemory(0, Width * Height * Channels);

    /// <summary>Keeps only the colour planes, for a decoder that filled an alpha plane and found every pixel opaque.</summary>
    public void DropAlpha()
    {
        if (Channels == 4)
        {
            Channels = 3;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }
}
