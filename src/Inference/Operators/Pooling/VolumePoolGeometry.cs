namespace ConvService.Inference.Operators.Pooling;

/// <summary>A 3-D pooling window over NCDHW volumes, per axis (depth, height, width); the output size is decided at plan time.</summary>
public sealed record VolumePoolGeometry(int[] InSize, int[] OutSize, int[] Kernel, int[] Strides, int[] Dilations, int[] PadsBegin, int[] PadsEnd)
{
    public int InVolume => InSize[0] * InSize[1] * InSize[2];

    public int OutVolume => OutSize[0] * OutSize[1] * OutSize[2];
}
