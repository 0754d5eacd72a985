namespace ConvService.Inference.Operators.Indexing;

/// <summary>
/// OneHot: the output inserts an axis of size depth into the indices' shape; along it, the element at an index's
/// value is on and every other is off. Indices are read as floats and truncated, as a cast to int64 would; negative
/// ones count from depth, and ones outside [-depth, depth) leave the whole line off.
/// </summary>
internal static class OneHotKernel
{
    /// <param name="outer">Index elements before the new axis (the product of the indices' dimensions before it).</param>
    /// <param name="inner">Index elements after it.</param>
    public static void Run(ReadOnlySpan<float> indices, Span<float> output, int outer, int depth, int inner, float off, float on)
    {
        output.Fill(off);
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                var value = indices[(o * inner) + i];
                if (float.IsNaN(value))
                {
                    continue;
                }

                var index = (long)Math.Clamp(value, -depth - 1.0, depth + 1.0);
                if (index < 0)
                {
                    index += depth;
                }

                if (index >= 0 && index < depth)
                {
                    output[(int)((((long)o * depth) + index) * inner) + i] = on;
                }
            }
        }
    }
}
