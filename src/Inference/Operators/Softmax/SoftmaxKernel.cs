namespace ConvService.Inference.Operators.Softmax;

/// <summary>
/// Softmax over the middle axis of an [outer, axis, inner] view; opset &lt; 13 semantics are the special case
/// inner == 1 with the axis covering every trailing dimension. Max-subtracted for stability.
/// </summary>
public static class SoftmaxKernel
{
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner)
    {
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                var start = o * axis * inner + i;
                var max = float.NegativeInfinity;
                for (var a = 0; a < axis; a++)
                {
                    max = MathF.Max(max, input[start + a * inner]);
                }

                var sum = 0f;
                for (var a = 0; a < axis; a++)
                {
                    var e = MathF.Exp(input[start + a * inner] - max);
                    output[start + a * inner] = e;
                    sum += e;
                }

                var scale = 1f / sum;
                for (var a = 0; a < axis; a++)
                {
                    output[start + a * inner] *= scale;
                }
            }
        }
    }
}
