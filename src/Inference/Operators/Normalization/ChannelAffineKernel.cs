using ConvService.Inference.Operators.Unary;
using ConvService.Inference.Simd;
using static ConvService.Inference.Operators.Unary.UnaryOperators;

namespace ConvService.Inference.Operators.Normalization;

/// <summary>
/// y = x * scale[c] + shift[c] over NCHW planes: inference-time BatchNormalization when it cannot be folded into
/// a convolution.
/// </summary>
public static class ChannelAffineKernel
{
    public static void Run(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, int batch, int planeSize, SimdLevel level)
    {
        level = SimdCapabilities.Require(level);
        var channels = scale.Length;
        for (var n = 0; n < batch; n++)
        {
            for (var c = 0; c < channels; c++)
            {
                var offset = (n * channels + c) * planeSize;
                Plane(input.Slice(offset, planeSize), output.Slice(offset, planeSize), scale[c], shift[c], level);
            }
        }
    }

    public static void Reference(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, int batch, int planeSize)
    {
        var channels = scale.Length;
        for (var i = 0; i < batch * channels * planeSize; i++)
        {
            var c = i / planeSize % channels;
            output[i] = input[i] * scale[c] + shift[c];
        }
    }

    private static void Plane(ReadOnlySpan<float> src, Span<float> dst, float scale, float shift, SimdLevel level) =>
        UnaryDriver.Run(src, dst, new AffineOperator(scale, shift), level);
}
