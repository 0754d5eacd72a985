namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// The shape of one 2-D convolution over NCHW float32 tensors. Weights are laid out [OutChannels, InChannels/Groups,
/// KernelHeight, KernelWidth] as in ONNX; pads may be asymmetric.
/// </summary>
public readonly record struct ConvGeometry(
    int InChannels,
    int InHeight,
    int InWidth,
    int OutChannels,
    int KernelHeight,
    int KernelWidth,
    int StrideH = 1,
    int StrideW = 1,
    int PadTop = 0,
    int PadLeft = 0,
    int PadBottom = 0,
    int PadRight = 0,
    int DilationH = 1,
    int DilationW = 1,
    int Groups = 1)
{
    public int OutHeight => (InHeight + PadTop + PadBottom - (DilationH * (KernelHeight - 1) + 1)) / StrideH + 1;

    public int OutWidth => (InWidth + PadLeft + PadRight - (DilationW * (KernelWidth - 1) + 1)) / StrideW + 1;

    public int InChannelsPerGroup => InChannels / Groups;

    public int OutChannelsPerGroup => OutChannels / Groups;

    public int WeightCount => OutChannels * InChannelsPerGroup * KernelHeight * KernelWidth;

    public int InputSize => InChannels * InHeight * InWidth;

    public int OutputSize => OutChannels * OutHeight * OutWidth;

    /// <summary>Multiply-accumulates for one image.</summary>
    public long MacsPerImage => (long)OutputSize * InChannelsPerGroup * KernelHeight * KernelWidth;
}
