namespace ConvService.Inference.Operators.Sampling;

internal enum GridSampleMode
{
    Linear,
    Nearest,
    Cubic,
}

internal enum GridPadding
{
    Zeros,
    Border,
    Reflection,
}

/// <summary>How GridSample reads the input between and beyond its pixels.</summary>
internal readonly record struct GridSampleOptions(GridSampleMode Mode, GridPadding Padding, bool AlignCorners);
