namespace ConvService.Inference.Operators.Resize;

/// <summary>How Resize and Upsample interpolate: the nearest sample, two taps per axis, or four.</summary>
public enum ResizeMode
{
    Nearest,
    Linear,
    Cubic,
}
