namespace ConvService.Inference.Operators.Resize;

/// <summary>Resize by the book, any rank: each output element sums every combination of its axes' taps. The oracle for <see cref="ResizeKernel"/>.</summary>
public static class ResizeReference
{
    public static void Run(IReadOnlyList<ResizeAxis> axes, ReadOnlySpan<float> input, Span<float> output, float extrapolationValue)
    {
        var rank = axes.Count;
        var inStrides = new int[rank];
        var stride = 1;
        for (var d = rank - 1; d >= 0; d--)
        {
            inStrides[d] = stride;
            stride *= axes[d].InSize;
        }

        var index = new int[rank];
        var taps = new int[rank];
        for (var i = 0; i < output.Length; i++)
        {
            var remainder = i;
            var outside = false;
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d] = remainder % axes[d].OutSize;
                remainder /= axes[d].OutSize;
                outside |= axes[d].Outside[index[d]];
            }

            if (outside)
            {
                output[i] = extrapolationValue;
                continue;
            }

            Array.Clear(taps);
            var sum = 0f;
            while (true)
            {
                var weight = 1f;
                var offset = 0;
                for (var d = 0; d < rank; d++)
                {
                    var at = (index[d] * axes[d].Taps) + taps[d];
                    weight *= axes[d].Weights[at];
                    offset += axes[d].Indices[at] * inStrides[d];
                }

                sum += weight * input[offset];
                var carry = rank - 1;
                while (carry >= 0 && ++taps[carry] == axes[carry].Taps)
                {
                    taps[carry] = 0;
                    carry--;
                }

                if (carry < 0)
                {
                    break;
                }
            }

            output[i] = sum;
        }
    }
}
