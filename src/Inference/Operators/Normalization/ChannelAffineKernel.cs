using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    private static void Plane(ReadOnlySpan<float> src, Span<float> dst, float scale, float shift, SimdLevel level)
    {
        ref var rs = ref MemoryMarshal.GetReference(src);
        ref var rd = ref MemoryMarshal.GetReference(dst);
        var i = 0;
        if (level == SimdLevel.Vector512)
        {
            var s = Vector512.Create(scale);
            var b = Vector512.Create(shift);
            for (; i <= src.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                ((Vector512.LoadUnsafe(ref rs, (nuint)i) * s) + b).StoreUnsafe(ref rd, (nuint)i);
            }
        }
        else if (level == SimdLevel.Vector256)
        {
            var s = Vector256.Create(scale);
            var b = Vector256.Create(shift);
            for (; i <= src.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                ((Vector256.LoadUnsafe(ref rs, (nuint)i) * s) + b).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < src.Length; i++)
        {
            dst[i] = src[i] * scale + shift;
        }
    }
}
