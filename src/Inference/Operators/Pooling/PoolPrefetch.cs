using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Operators.Pooling;

/// <summary>
/// Asks for input cache lines a few rows before the row loop reaches them. A pooling layer follows a layer whose
/// output has usually left the cache, and its little arithmetic per byte cannot hide the memory latency on its
/// own. Only lines inside the span are touched.
/// </summary>
internal static unsafe class PoolPrefetch
{
    /// <summary>How far ahead of the rows being read the lines are requested, in floats (32 KB).</summary>
    public const int Distance = 8192;

    /// <summary>Requests the lines of [from, upTo) (clamped to the span) and returns where the next request starts.</summary>
    public static int Lines(ReadOnlySpan<float> input, int from, int upTo)
    {
        upTo = Math.Min(upTo, input.Length);
        if (!Sse.IsSupported || upTo <= from)
        {
            return Math.Max(from, upTo);
        }

        fixed (float* start = input)
        {
            for (var i = from; i < upTo; i += 16)
            {
                Sse.Prefetch0(start + i);
            }
        }

        return upTo;
    }
}
