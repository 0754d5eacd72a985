namespace ConvService.Api.Images.Deflate;

/// <summary>
/// Length-limited canonical Huffman codes for deflate's dynamic blocks: minimum-redundancy lengths (Moffat and
/// Katajainen's in-place method over the used symbols sorted by frequency), the longest codes folded down to the
/// limit while keeping the Kraft sum exact, then canonical codes stored bit-reversed as deflate writes them.
/// </summary>
internal static class HuffmanCode
{
    private const int DeepestTree = 64;

    /// <summary>Fills <paramref name="lengths"/> (zero for unused symbols) from <paramref name="frequencies"/>.</summary>
    public static void BuildLengths(ReadOnlySpan<int> frequencies, int limit, Span<byte> lengths)
    {
        lengths.Clear();
        Span<int> keys = stackalloc int[frequencies.Length];
        Span<int> symbols = stackalloc int[frequencies.Length];
        var used = 0;
        for (var s = 0; s < frequencies.Length; s++)
        {
            if (frequencies[s] > 0)
            {
                keys[used] = frequencies[s];
                symbols[used++] = s;
            }
        }

        if (used == 0)
        {
            return;
        }

        if (used == 1)
        {
            lengths[symbols[0]] = 1;
            return;
        }

        keys = keys[..used];
        symbols = symbols[..used];
        keys.Sort(symbols);
        MinimumRedundancy(keys);

        Span<int> perLength = stackalloc int[DeepestTree + 1];
        foreach (var depth in keys)
        {
            perLength[Math.Min(depth, DeepestTree)]++;
        }

        LimitLengths(perLength, limit);

        // The most frequent symbols sit at the end of the sorted list and take the shortest codes.
        var next = used;
        for (var length = 1; length <= limit; length++)
        {
            for (var n = perLength[length]; n > 0; n--)
            {
                lengths[symbols[--next]] = (byte)length;
            }
        }
    }

    /// <summary>Canonical codes (RFC 1951, section 3.2.2), bit-reversed so they can be written least significant bit first.</summary>
    public static void BuildCodes(ReadOnlySpan<byte> lengths, Span<ushort> codes)
    {
        Span<int> perLength = stackalloc int[16];
        foreach (var length in lengths)
        {
            perLength[length]++;
        }

        perLength[0] = 0;
        Span<int> nextCode = stackalloc int[16];
        for (int length = 1, code = 0; length < 16; length++)
        {
            code = (code + perLength[length - 1]) << 1;
            nextCode[length] = code;
        }

        for (var s = 0; s < lengths.Length; s++)
        {
            int length = lengths[s];
            codes[s] = length == 0 ? (ushort)0 : Reverse(nextCode[length]++, length);
        }
    }

    private static ushort Reverse(int code, int length)
    {
        var reversed = 0;
        for (var i = 0; i < length; i++)
        {
            reversed = (reversed << 1) | ((code >> i) & 1);
        }

        return (ushort)reversed;
    }

    /// <summary>
    /// In place: <paramref name="a"/> holds frequencies in ascending order (at least two) and receives each one's
    /// code length (Moffat and Katajainen, "In-place calculation of minimum-redundancy codes", 1995).
    /// </summary>
    private static void MinimumRedundancy(Span<int> a)
    {
        var n = a.Length;
        a[0] += a[1];
        int root = 0, leaf = 2;
        for (var next = 1; next < n - 1; next++)
        {
            if (leaf >= n || a[root] < a[leaf])
            {
                a[next] = a[root];
                a[root++] = next;
            }
            else
            {
                a[next] = a[leaf++];
            }

            if (leaf >= n || (root < next && a[root] < a[leaf]))
            {
                a[next] += a[root];
                a[root++] = next;
            }
            else
            {
                a[next] += a[leaf++];
            }
        }

        a[n - 2] = 0;
        for (var next = n - 3; next >= 0; next--)
        {
            a[next] = a[a[next]] + 1;
        }

        int available = 1, usedAtDepth = 0, depth = 0;
        int internalNode = n - 2, slot = n - 1;
        while (available > 0)
        {
            while (internalNode >= 0 && a[internalNode] == depth)
            {
                usedAtDepth++;
                internalNode--;
            }

            while (available > usedAtDepth)
            {
                a[slot--] = depth;
                available--;
            }

            available = 2 * usedAtDepth;
            depth++;
            usedAtDepth = 0;
        }
    }

    /// <summary>Moves codes longer than <paramref name="limit"/> to it, then lengthens shorter ones until the code is complete again.</summary>
    private static void LimitLengths(Span<int> perLength, int limit)
    {
        for (var length = limit + 1; length < perLength.Length; length++)
        {
            perLength[limit] += perLength[length];
            perLength[length] = 0;
        }

        long kraft = 0;
        for (var length = limit; length > 0; length--)
        {
            kraft += (long)perLength[length] << (limit - length);
        }

        while (kraft > 1L << limit)
        {
            perLength[limit]--;
            for (var length = limit - 1; length > 0; length--)
            {
                if (perLength[length] > 0)
                {
                    perLength[length]--;
                    perLength[length + 1] += 2;
                    break;
                }
            }

            kraft--;
        }
    }
}
