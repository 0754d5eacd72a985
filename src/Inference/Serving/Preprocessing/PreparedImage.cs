namespace ConvService.Inference.Serving.Preprocessing;

/// <summary>One image as the model's input tensor (planar, channels first) with its size.</summary>
public sealed record PreparedImage(float[] Tensor, int Channels, int Height, int Width)
{
    /// <summary>The tensor's shape without the batch: [C, H, W].</summary>
    public int[] Shape => [Channels, Height, Width];
}
