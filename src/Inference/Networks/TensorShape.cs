namespace ConvService.Inference.Networks;

/// <summary>One image's activation volume.</summary>
internal readonly record struct TensorShape(int Channels, int Height, int Width)
{
    public long Count => checked((long)Channels * Height * Width);

    /// <summary>As the lecture writes volumes: height x width x depth.</summary>
    public string Text => $"{Height}x{Width}x{Channels}";

    public int[] Dims => [Channels, Height, Width];
}
