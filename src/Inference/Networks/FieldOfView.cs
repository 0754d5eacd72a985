namespace ConvService.Inference.Networks;

/// <summary>Receptive field and jump (input pixels between neighbouring outputs) of the current activations.</summary>
internal readonly record struct FieldOfView(long Height, long Width, long JumpHeight, long JumpWidth)
{
    public static FieldOfView Pixel => new(1, 1, 1, 1);

    /// <summary>A window of the given (dilated) extent moved with the given stride.</summary>
    public FieldOfView Through(int windowHeight, int windowWidth, int strideHeight, int strideWidth) => new(
        checked(Height + (windowHeight - 1) * JumpHeight),
        checked(Width + (windowWidth - 1) * JumpWidth),
        checked(JumpHeight * strideHeight),
        checked(JumpWidth * strideWidth));

    public static FieldOfView Widest(FieldOfView a, FieldOfView b) => new(
        Math.Max(a.Height, b.Height), Math.Max(a.Width, b.Width), Math.Max(a.JumpHeight, b.JumpHeight), Math.Max(a.JumpWidth, b.JumpWidth));
}
