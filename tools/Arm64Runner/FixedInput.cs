namespace ConvService.Tools.Arm64Runner;

/// <summary>
/// The same input on every machine: integer hashing only (no floating-point library call, no Random whose sequence
/// could change between runtimes), values in the network's mean-subtracted 0..255 pixel range.
/// </summary>
internal static class FixedInput
{
    public static float[] Create(int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            var hash = (uint)i * 2654435761u;
            hash ^= hash >> 15;
            values[i] = (int)(hash % 256) - 120;
        }

        return values;
    }
}
