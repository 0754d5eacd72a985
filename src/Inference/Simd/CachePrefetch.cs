using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Simd;

/// <summary>
/// Software prefetch into L2 of data a kernel will read or write soon (weights streaming from memory, a cold output),
/// so its trip from memory overlaps arithmetic. Where x86's prefetch is not available (ARM64) it does nothing.
/// </summary>
internal static unsafe class CachePrefetch
{
    /// <summary>The cache lines of <paramref name="lines"/> x 64 bytes from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lines(void* start, int lines)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var at = (byte*)start;
        for (var line = 0; line < lines; line++)
        {
            Sse.Prefetch1(at + (line * 64));
        }
    }
}
