namespace ConvService.Inference.Operators.ConvTranspose;

/// <summary>
/// A transposed convolution with up to three spatial axes, always held as three (depth, height, width): 1-D and
/// 2-D have leading axes of size 1. Pads are the ones subtracted from the start of each output axis.
/// </summary>
public sealed record ConvTransposeGeometry(
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

    /// <summary>Rows of one group's column matrix: output channels of the group times kernel positions.</summary>
    public int ColumnRows => OutChannelsPerGroup * KernelElements;

    public long MacsPerImage => (long)InChannels * ColumnRows * InPlane;
}
