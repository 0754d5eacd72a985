namespace ConvService.Inference.Operators.Pooling;

/// <summary>Global pools in double precision, one plane at a time: the oracle for <see cref="GlobalPoolKernel"/>.</summary>
public static class GlobalPoolReference
{
    public static void Average(ReadOnlySpan<float> input, Span<float> output, int planes, int planeSize)
    {
        for (var p = 0; p < planes; p++)
        {
            double sum = 0;
            foreach (var v in input.Slice(p * planeSize, planeSize))
            {
                sum += v;
            }

            output[p] = (float)(sum / planeSize);
        }
    }

    public static void Max(ReadOnlySpan<float> input, Span<float> output, int planes, int planeSize)
    {
        for (var p = 0; p < planes; p++)
        {
            var best = float.NegativeInfinity;
            foreach (var v in input.Slice(p * planeSize, planeSize))
            {
                best = MathF.Max(best, v);
            }

            output[p] = best;
        }
    }

    /// <summary>GlobalLpPool: the p-norm of each plane.</summary>
    public static void Lp(ReadOnlySpan<float> input, Span<float> output, int planes, int planeSize, float p)
    {
        for (var plane = 0; plane < planes; plane++)
        {
            var sum = 0f;
            foreach (var v in input.Slice(plane * planeSize, planeSize))
            {
                sum += PoolReference.Power(v, p);
            }

            output[plane] = PoolReference.Root(sum, p);
        }
    }
}
