using ConvService.Inference.Kernels.Gemm;

namespace ConvService.Inference.Operators.ConvTranspose;

/// <summary>
/// ConvTranspose as GEMM then col2im: per image and group, the weights (transposed once here to [out channels x
/// taps, in channels]) times the input planes give one column per input position, which <see cref="ColumnScatter"/>
/// adds into the output, initialised with the bias.
/// </summary>
public sealed class ConvTransposeKernel
{
    private readonly ConvTransposeGeometry geometry;
    private readonly float[] weightRows;
    private readonly float[] bias;

    /// <summary>Weights are ONNX's [in channels, out channels per group, kernel...].</summary>
    public ConvTransposeKernel(ConvTransposeGeometry geometry, ReadOnlySpan<float> weights, float[] bias)
    {
        this.geometry = geometry;
        this.bias = bias;
        int rows = geometry.ColumnRows, inPerGroup = geometry.InChannelsPerGroup;
        weightRows = new float[geometry.Groups * rows * inPerGroup];
        for (var group = 0; group < geometry.Groups; group++)
        {
            for (var ic = 0; ic < inPerGroup; ic++)
            {
                for (var r = 0; r < rows; r++)
                {
                    weightRows[(((group * rows) + r) * inPerGroup) + ic] = weights[(((group * inPerGroup) + ic) * rows) + r];
                }
            }
        }
    }

    public ConvTransposeGeometry Geometry => geometry;

    /// <summary>Floats of scratch one call needs: one group's column matrix.</summary>
    public int ScratchFloats => geometry.ColumnRows * geometry.InPlane;

    public void Run(ReadOnlySpan<float> input, Span<float> output, int batch, Span<float> scratch, int degreeOfParallelism, SimdLevel level)
    {
        var g = geometry;
        int rows = g.ColumnRows, inPerGroup = g.InChannelsPerGroup, outPerGroup = g.OutChannelsPerGroup, inPlane = g.InPlane, outPlane = g.OutPlane;
        var columns = scratch[..(rows * inPlane)];
        for (var n = 0; n < batch; n++)
        {
            var image = output.Slice(n * g.OutChannels * outPlane, g.OutChannels * outPlane);
            for (var oc = 0; oc < g.OutChannels; oc++)
            {
                image.Slice(oc * outPlane, outPlane).Fill(bias.Length == 0 ? 0f : bias[oc]);
            }

            for (var group = 0; group < g.Groups; group++)
            {
                var x = input.Slice(((n * g.InChannels) + (group * inPerGroup)) * inPlane, inPerGroup * inPlane);
                Sgemm.Multiply(
                    false, false, rows, inPlane, inPerGroup, 1f,
                    weightRows.AsSpan(group * rows * inPerGroup, rows * inPerGroup), inPerGroup,
                    x, inPlane,
                    0f, columns, inPlane, degreeOfParallelism, level);
                ColumnScatter.Run(g, columns, image.Slice(group * outPerGroup * outPlane, outPerGroup * outPlane), level);
            }
        }
    }
}
