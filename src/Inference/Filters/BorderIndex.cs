namespace ConvService.Inference.Filters;

/// <summary>Maps a coordinate outside [0, n) to the pixel a border mode reads there, at any distance.</summary>
internal static class BorderIndex
{
    /// <summary>The source index for <paramref name="i"/>, or -1 when the border reads a zero.</summary>
    public static int Map(int i, int n, BorderMode mode)
    {
        if ((uint)i < (uint)n)
        {
            return i;
        }

        switch (mode)
        {
            case BorderMode.Zero:
                return -1;
            case BorderMode.Replicate:
                return i < 0 ? 0 : n - 1;
            case BorderMode.Wrap:
                return Modulo(i, n);
            case BorderMode.Reflect:
            {
                // Period 2n: abcd dcba abcd ...
                var m = Modulo(i, 2 * n);
                return m < n ? m : 2 * n - 1 - m;
            }

            case BorderMode.Reflect101:
            {
                if (n == 1)
                {
                    return 0;
                }

                // Period 2n - 2: abcd cb abcd ...
                var period = 2 * n - 2;
                var m = Modulo(i, period);
                return m < n ? m : period - m;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown border mode.");
        }
    }

    /// <summary>Fills <paramref name="map"/>[k] with the source index of padded coordinate k, i.e. of k - pad.</summary>
    public static void FillMap(Span<int> map, int pad, int n, BorderMode mode)
    {
        for (var k = 0; k < map.Length; k++)
        {
            map[k] = Map(k - pad, n, mode);
        }
    }

    private static int Modulo(int i, int n)
    {
        var m = i % n;
        return m < 0 ? m + n : m;
    }
}
