namespace ConvService.Inference.Operators.VolumeConv;

/// <summary>
/// A convolution or a transposed convolution with up to three spatial axes (NCDHW), always held as three (depth,
/// height, width): 1-D and 2-D have leading axes of size 1. Sizes, kernel, strides, dilations and leading pads per
/// axis; a convolution's pads are taken from the start of its input axes, a transposed one's from the start of its
/// output axes. The transposed convolution does the arithmetic of the convolution from its output back to its
/// input, so its column rows and MACs are those of <see cref="Transposed"/>.
/// </summary>
public sealed record VolumeConvGeometry(
    int InChannels,
    int OutChannels,
    int Groups,
    int[] InSize,
    int[] OutSize,
    int[] Kernel,
    int[] Strides,
    int[] Dilations,
    int[] PadsBegin)
{
    public int InChannelsPerGroup => InChannels / Groups;

    public int OutChannelsPerGroup => OutChannels / Groups;

    public int KernelElements => Kernel[0] * Kernel[1] * Kernel[2];

    public int InPlane => InSize[0] * InSize[1] * InSize[2];

    public int OutPlane => OutSize[0] * OutSize[1] * OutSize[2];

    /// <summary>Rows of one group's column matrix: input channels of the group times kernel taps.</summary>
    public int ColumnRows => InChannelsPerGroup * KernelElements;

    public long MacsPerImage => (long)OutChannels * ColumnRows * OutPlane;

    /// <summary>The same window with input and output exchanged: the convolution a transposed one is the adjoint of.</summary>
    public VolumeConvGeometry Transposed() => new(OutChannels, InChannels, Groups, OutSize, InSize, Kernel, Strides, Dilations, PadsBegin);
}
