namespace ConvService.Inference.Operators.VolumeConv;

/// <summary>A 3-D convolution (NCDHW): sizes, kernel, strides, dilations and leading pads per axis (depth, height, width).</summary>
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
}
