namespace ConvService.Inference.Filters;

/// <summary>
/// An image as float planes, one per channel: <c>Data[(c * Height + y) * Width + x]</c>. Planar, because every
/// filter runs channel by channel and a plane's rows are contiguous for the vector loops.
/// </summary>
public sealed class FloatImage
{
    public FloatImage(int width, int height, int channels, float[]? data = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        var length = checked(width * height * channels);
        if (data is not null && data.Length != length)
        {
            throw new ArgumentException($"Expected {length} values for {width}x{height}x{channels}, got {data.Length}.", nameof(data));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Data = data ?? new float[length];
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public float[] Data { get; }

    public int PlaneSize => Width * Height;

    public Span<float> Plane(int channel) => Data.AsSpan(channel * PlaneSize, PlaneSize);

    public float this[int channel, int y, int x]
    {
        get => Data[(channel * Height + y) * Width + x];
        set => Data[(channel * Height + y) * Width + x] = value;
    }
}
