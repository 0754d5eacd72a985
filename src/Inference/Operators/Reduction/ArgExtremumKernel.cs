namespace ConvService.Inference.Operators.Reduction;

/// <summary>
/// ArgMax and ArgMin over the middle axis of an [outer, axis, inner] view. ONNX's output is int64; the engine's
/// runtime tensors are float32, so the indices are written as float values (exact up to 2^24). The first extreme
/// wins unless <c>selectLast</c>; a NaN counts as the extreme (the first NaN, or the last with selectLast), as
/// numpy's argmax does.
/// </summary>
public static class ArgExtremumKernel
{
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int outer, int axis, int inner, bool max, bool selectLast)
    {
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                var start = (o * axis * inner) + i;
                var best = 0;
                var bestValue = axis > 0 ? input[start] : float.NaN;
                for (var a = 1; a < axis && !(float.IsNaN(bestValue) && !selectLast); a++)
                {
                    var v = input[start + (a * inner)];
                    if (Better(v, bestValue, max, selectLast))
                    {
                        best = a;
                        bestValue = v;
                    }
                }

                output[(o * inner) + i] = best;
            }
        }
    }

    private static bool Better(float candidate, float best, bool max, bool selectLast)
    {
        if (float.IsNaN(candidate))
        {
            return !float.IsNaN(best) || selectLast;
        }

        if (float.IsNaN(best))
        {
            return false;
        }

        return max
            ? (selectLast ? candidate >= best : candidate > best)
            : (selectLast ? candidate <= best : candidate < best);
    }
}
