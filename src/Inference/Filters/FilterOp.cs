namespace ConvService.Inference.Filters;

/// <summary>How the kernel is laid over the image.</summary>
public enum FilterOp
{
    /// <summary>Cross-correlation: g[y, x] = sum h[i, j] * f[y + i, x + j], the kernel as written.</summary>
    Correlate,

    /// <summary>Convolution: cross-correlation with the kernel rotated by 180 degrees.</summary>
    Convolve,
}
