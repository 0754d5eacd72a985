namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// A 2-D pooling window over NCHW planes. The output size is decided at plan time (ceil_mode included), so the
/// kernels only follow it; windows may hang over the padded border.
/// </summary>
public readonly record struct PoolGeometry(
    int InHeight,
    int InWidth,
    int OutHeight,
    int OutWidth,
    int KernelHeight,
    int KernelWidth,
    int StrideH,
    int StrideW,
    int PadTop,
    int PadLeft,
    int PadBottom,
    int PadRight,
    int DilationH = 1,
    int DilationW = 1)
{
    /// <summary>
    /// ONNX output size for one axis. With ceil_mode a last window that would start entirely in the end padding
    /// is dropped, as ONNX Runtime and PyTorch do.
    /// </summary>
    public static int OutputSize(int input, int kernel, int stride, int padBegin, int padEnd, int dilation, bool ceilMode)
    {
        var span = input + padBegin + padEnd - ((kernel - 1) * dilation + 1);
        if (span < 0)
        {
            return 0;
        }

        var size = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceilMode && (size - 1) * stride >= input + padBegin)
        {
            size--;
        }

        return size;
    }
}
