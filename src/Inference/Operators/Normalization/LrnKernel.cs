namespace ConvService.Inference.Operators.Normalization;

/// <summary>
/// Local response normalization across channels (ONNX LRN): y = x / (bias + alpha / size * sum of x^2 over the
/// neighbouring channels) ^ beta. Scalar: only AlexNet-era networks use it, once or twice.
/// </summary>
public static class LrnKernel
{
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int batch, int channels, int planeSize, int size, float alpha, float beta, float bias)
    {
        var before = (size - 1) / 2;
        var after = size - 1 - before;
        var scale = alpha / size;
        for (var n = 0; n < batch; n++)
        {
            for (var c = 0; c < channels; c++)
            {
                var first = Math.Max(0, c - before);
                var last = Math.Min(channels - 1, c + after);
                for (var i = 0; i < planeSize; i++)
                {
                    var sum = 0f;
                    for (var k = first; k <= last; k++)
                    {
                        var v = input[(n * channels + k) * planeSize + i];
                        sum += v * v;
                    }

                    var index = (n * channels + c) * planeSize + i;
                    output[index] = input[index] / MathF.Pow(bias + scale * sum, beta);
                }
            }
        }
    }
}
