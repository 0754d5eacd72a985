namespace ConvService.Api.Images;

/// <summary>
/// How many Huffman code groups a lossless (VP8L) bitstream declares, read without ImageSharp. ImageSharp 2.1 sizes
/// one managed array for the largest group index its entropy image names (up to 65,536 groups of up to 5,000
/// table entries, 2.6 GB) before it reads a single group, outside its allocation limit: fuzzing found a 56-byte
/// file that made it allocate 878 MB. Every group is five prefix codes of at least 4 bits each, so a bitstream
/// with fewer than 20 bits per group left cannot hold its groups; reading up to the entropy image tells.
/// The reader follows the format (and ImageSharp's reading of it); where it cannot follow a file it returns
/// null and leaves the verdict to the decoder.
/// </summary>
public static class WebpLosslessGroups
{
    /// <summary>The fewest bits a group's five prefix codes can take: each a one-symbol simple code of 4 bits.</summary>
    public const int MinBitsPerGroup = 5 * 4;

    private static readonly int[] AlphabetSizes = [256 + 24, 256, 256, 256, 40];
    private static readonly byte[] CodeLengthCodeOrder = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    /// <summary>ImageSharp 2.1's table entries per group, by color cache bits (its WebpLosslessDecoder.TableSize).</summary>
    private static readonly int[] TableEntries = [654, 656, 658, 662, 670, 686, 718, 782, 912, 1168, 1680, 2704];

    private static readonly byte[] CodeToPlane =
    [
        0x18, 0x07, 0x17, 0x19, 0x28, 0x06, 0x27, 0x29, 0x16, 0x1a, 0x26, 0x2a, 0x38, 0x05, 0x37, 0x39, 0x15, 0x1b, 0x36, 0x3a,
        0x25, 0x2b, 0x48, 0x04, 0x47, 0x49, 0x14, 0x1c, 0x35, 0x3b, 0x46, 0x4a, 0x24, 0x2c, 0x58, 0x45, 0x4b, 0x34, 0x3c, 0x03,
        0x57, 0x59, 0x13, 0x1d, 0x56, 0x5a, 0x23, 0x2d, 0x44, 0x4c, 0x55, 0x5b, 0x33, 0x3d, 0x68, 0x02, 0x67, 0x69, 0x12, 0x1e,
        0x66, 0x6a, 0x22, 0x2e, 0x54, 0x5c, 0x43, 0x4d, 0x65, 0x6b, 0x32, 0x3e, 0x78, 0x01, 0x77, 0x79, 0x53, 0x5d, 0x11, 0x1f,
        0x64, 0x6c, 0x42, 0x4e, 0x76, 0x7a, 0x21, 0x2f, 0x75, 0x7b, 0x31, 0x3f, 0x63, 0x6d, 0x52, 0x5e, 0x00, 0x74, 0x7c, 0x41,
        0x4f, 0x10, 0x20, 0x62, 0x6e, 0x30, 0x73, 0x7d, 0x51, 0x5f, 0x40, 0x72, 0x7e, 0x61, 0x6f, 0x50, 0x71, 0x7f, 0x60, 0x70,
    ];

    /// <summary>What the main image's header declares, and how many bits of the bitstream follow its entropy image.</summary>
    public readonly record struct Groups(int Count, int ColorCacheBits, long BitsLeft)
    {
        /// <summary>The bytes ImageSharp 2.1 allocates for the groups' tables before reading them (8 bytes an entry).</summary>
        public long TableBytes => (long)Count * ((630 * 3) + 410 + TableEntries[ColorCacheBits]) * 8;

        public bool FitInBitstream => (long)Count * MinBitsPerGroup <= BitsLeft;
    }

    /// <summary>
    /// Every lossless bitstream in a WebP file: VP8L frames, found by searching as <see cref="WebpFrameSizes"/> does,
    /// and lossless ALPH chunks (alpha planes of the canvas's size, coded the same way).
    /// </summary>
    public static IEnumerable<Groups> InFile(byte[] webp)
    {
        var found = new List<Groups>();
        var canvas = WebpFrameSizes.Canvas(webp);
        for (var at = 12; at + 8 + 5 <= webp.Length; at++)
        {
            var data = webp.AsSpan(at + 8);
            var chunkBytes = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(at + 4));
            Groups? groups = null;
            if (webp.AsSpan(at, 4).SequenceEqual("VP8L"u8) && data[0] == 0x2f && chunkBytes >= 5)
            {
                var header = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
                groups = Read(Chunk(data, chunkBytes)[5..], chunkBytes - 5, 1 + (int)(header & 0x3fff), 1 + (int)((header >> 14) & 0x3fff));
            }
            else if (webp.AsSpan(at, 4).SequenceEqual("ALPH"u8) && (data[0] & 3) == 1 && canvas is { } size && chunkBytes >= 1)
            {
                groups = Read(Chunk(data, chunkBytes)[1..], chunkBytes - 1, size.Width, size.Height);
            }

            if (groups is { } read)
            {
                found.Add(read);
            }
        }

        return found;
    }

    /// <summary>The chunk's bytes that the file holds; the decoder reads the rest of its declared size as zeros.</summary>
    private static ReadOnlySpan<byte> Chunk(ReadOnlySpan<byte> data, uint declared) => data[..(int)Math.Min(declared, (uint)data.Length)];

    /// <summary>
    /// Reads a VP8L bitstream (<paramref name="stream"/> from just after its 5-byte header, or an ALPH chunk's data
    /// after its 1-byte header) of the given size; <paramref name="declaredBytes"/> is its chunk's size, past which
    /// the decoder stops. Null when the stream is not one this reader can follow.
    /// </summary>
    public static Groups? Read(ReadOnlySpan<byte> stream, long declaredBytes, int width, int height)
    {
        try
        {
            var bits = new BitReader(stream, declaredBytes);
            var xSize = width;
            var seen = 0;
            while (bits.ReadBit())
            {
                // Each transform may appear once (ImageSharp refuses a second).
                var type = (int)bits.Read(2);
                if ((seen & (1 << type)) != 0)
                {
                    return null;
                }

                seen |= 1 << type;
                switch (type)
                {
                    case 0 or 1:
                        var blockBits = (int)bits.Read(3) + 2;
                        DecodeSubImage(ref bits, SubSample(xSize, blockBits), SubSample(height, blockBits));
                        break;
                    case 3:
                        var colors = (int)bits.Read(8) + 1;
                        DecodeSubImage(ref bits, colors, 1);
                        xSize = SubSample(xSize, colors > 16 ? 0 : colors > 4 ? 1 : colors > 2 ? 2 : 3);
                        break;
                }
            }

            var cacheBits = ReadColorCacheBits(ref bits);
            if (cacheBits < 0)
            {
                return null;
            }

            var count = 1;
            if (bits.ReadBit())
            {
                var precision = (int)bits.Read(3) + 2;
                var entropy = DecodeSubImage(ref bits, SubSample(xSize, precision), SubSample(height, precision));
                foreach (var pixel in entropy)
                {
                    count = Math.Max(count, (int)((pixel >> 8) & 0xffff) + 1);
                }
            }

            return new Groups(count, cacheBits, bits.BitsLeft);
        }
        catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static int SubSample(int size, int bits) => (size + (1 << bits) - 1) >> bits;

    /// <summary>0 without a cache; -1 for an invalid size (ImageSharp accepts 1 to 11 bits).</summary>
    private static int ReadColorCacheBits(ref BitReader bits)
    {
        if (!bits.ReadBit())
        {
            return 0;
        }

        var cacheBits = (int)bits.Read(4);
        return cacheBits is >= 1 and <= 11 ? cacheBits : -1;
    }

    /// <summary>A transform's or the entropy image's pixels: one group of five codes, backward references, a color cache.</summary>
    private static uint[] DecodeSubImage(ref BitReader bits, int width, int height)
    {
        var cacheBits = ReadColorCacheBits(ref bits);
        if (cacheBits < 0 || (long)width * height > 1 << 24)
        {
            throw new InvalidDataException();
        }

        var cacheSize = cacheBits == 0 ? 0 : 1 << cacheBits;
        var codes = new PrefixCode[5];
        for (var j = 0; j < 5; j++)
        {
            codes[j] = ReadCode(ref bits, AlphabetSizes[j] + (j == 0 ? cacheSize : 0));
        }

        // ImageSharp's shortcuts, which read fewer bits than the codes would: when the first entry of the red, blue
        // and alpha codes takes no bits it never reads them, and when no first entry takes bits, it reads nothing.
        var trivialLiteral = codes[1].First.Bits == 0 && codes[2].First.Bits == 0 && codes[3].First.Bits == 0;
        var literal = (uint)((codes[3].First.Value << 24) | (codes[1].First.Value << 16) | codes[2].First.Value);
        var trivialCode = trivialLiteral && codes.Sum(code => code.First.Bits) == 0 && codes[0].First.Value < 256;
        literal |= trivialCode ? (uint)codes[0].First.Value << 8 : 0;

        var pixels = new uint[width * height];
        var cache = new uint[Math.Max(cacheSize, 1)];
        var at = 0;
        while (at < pixels.Length)
        {
            if (trivialCode)
            {
                Emit(literal);
                continue;
            }

            // ImageSharp stops a sub-image where the bitstream ends and keeps the rest zero.
            var green = codes[0].Decode(ref bits);
            if (bits.PastEnd)
            {
                break;
            }

            if (green < 256 && trivialLiteral)
            {
                Emit(literal | ((uint)green << 8));
            }
            else if (green < 256)
            {
                var red = codes[1].Decode(ref bits);
                var blue = codes[2].Decode(ref bits);
                var alpha = codes[3].Decode(ref bits);
                if (bits.PastEnd)
                {
                    break;
                }

                Emit((uint)(((alpha & 0xff) << 24) | ((red & 0xff) << 16) | ((green & 0xff) << 8) | (blue & 0xff)));
            }
            else if (green < 256 + 24)
            {
                var length = PrefixValue(ref bits, green - 256);
                var distance = PlaneCodeToDistance(width, PrefixValue(ref bits, codes[4].Decode(ref bits)));
                if (bits.PastEnd)
                {
                    break;
                }

                if (distance > at || length > pixels.Length - at)
                {
                    throw new InvalidDataException();
                }

                for (var i = 0; i < length; i++)
                {
                    Emit(pixels[at - distance]);
                }
            }
            else if (green - 280 < cacheSize)
            {
                Emit(cache[green - 280]);
            }
            else
            {
                throw new InvalidDataException();
            }
        }

        return pixels;

        void Emit(uint pixel)
        {
            pixels[at++] = pixel;
            if (cacheSize > 0)
            {
                cache[(int)((0x1e35a7bdu * pixel) >> (32 - cacheBits))] = pixel;
            }
        }
    }

    /// <summary>Lengths and distances: a prefix symbol, then extra bits.</summary>
    private static int PrefixValue(ref BitReader bits, int symbol)
    {
        if (symbol < 4)
        {
            return symbol + 1;
        }

        var extra = (symbol - 2) >> 1;
        return ((2 + (symbol & 1)) << extra) + (int)bits.Read(extra) + 1;
    }

    private static int PlaneCodeToDistance(int width, int code)
    {
        if (code > CodeToPlane.Length)
        {
            return code - CodeToPlane.Length;
        }

        var plane = CodeToPlane[code - 1];
        var distance = ((plane >> 4) * width) + 8 - (plane & 0xf);
        return Math.Max(distance, 1);
    }

    private static PrefixCode ReadCode(ref BitReader bits, int alphabetSize)
    {
        var lengths = new int[Math.Max(alphabetSize, 256)];
        if (bits.ReadBit())
        {
            var symbols = (int)bits.Read(1) + 1;
            lengths[bits.Read(bits.Read(1) == 0 ? 1 : 8)] = 1;
            if (symbols == 2)
            {
                lengths[bits.Read(8)] = 1;
            }

            return new PrefixCode(lengths.AsSpan(0, alphabetSize));
        }

        var lengthCodeLengths = new int[19];
        var count = (int)bits.Read(4) + 4;
        for (var i = 0; i < count; i++)
        {
            lengthCodeLengths[CodeLengthCodeOrder[i]] = (int)bits.Read(3);
        }

        var lengthCode = new PrefixCode(lengthCodeLengths, rootBits: 7);
        var maxSymbol = alphabetSize;
        if (bits.ReadBit())
        {
            maxSymbol = 2 + (int)bits.Read(2 + (2 * (int)bits.Read(3)));
        }

        var symbol = 0;
        var previous = 8;
        while (symbol < alphabetSize && maxSymbol-- > 0)
        {
            var length = lengthCode.Decode(ref bits);
            if (length < 16)
            {
                lengths[symbol++] = length;
                previous = length != 0 ? length : previous;
                continue;
            }

            var repeat = (int)bits.Read(length switch { 16 => 2, 17 => 3, _ => 7 }) + (length == 18 ? 11 : 3);
            if (symbol + repeat > alphabetSize)
            {
                break;
            }

            lengths.AsSpan(symbol, repeat).Fill(length == 16 ? previous : 0);
            symbol += repeat;
        }

        return new PrefixCode(lengths.AsSpan(0, alphabetSize));
    }

    /// <summary>
    /// A prefix code as ImageSharp 2.1 builds it (HuffmanUtils.BuildHuffmanTable, ported): a root table of
    /// <c>rootBits</c> and second-level tables. Like ImageSharp, and unlike libwebp, it accepts incomplete codes;
    /// their empty entries decode as symbol 0 using no bits, so this reader must do the same to follow a file.
    /// </summary>
    private sealed class PrefixCode
    {
        private const int MaxLength = 15;
        private readonly (int Bits, int Value)[] table = new (int, int)[8192];
        private readonly int rootBits;

        public PrefixCode(ReadOnlySpan<int> lengths, int rootBits = 8)
        {
            this.rootBits = rootBits;
            var counts = new int[MaxLength + 1];
            foreach (var length in lengths)
            {
                if (length > MaxLength)
                {
                    throw new InvalidDataException();
                }

                counts[length]++;
            }

            if (counts[0] == lengths.Length)
            {
                throw new InvalidDataException();
            }

            var offsets = new int[MaxLength + 1];
            for (var length = 1; length < MaxLength; length++)
            {
                if (counts[length] > 1 << length)
                {
                    throw new InvalidDataException();
                }

                offsets[length + 1] = offsets[length] + counts[length];
            }

            var sorted = new int[lengths.Length];
            for (var symbol = 0; symbol < lengths.Length; symbol++)
            {
                if (lengths[symbol] > 0)
                {
                    sorted[offsets[lengths[symbol]]++] = symbol;
                }
            }

            var totalSize = 1 << rootBits;
            if (offsets[MaxLength] == 1)
            {
                // One symbol costs no bits.
                table.AsSpan(0, totalSize).Fill((0, sorted[0]));
                return;
            }

            int key = 0, open = 1, next = 0, low = -1, mask = totalSize - 1, tableStart = 0, tableSize = totalSize;
            for (int length = 1, step = 2; length <= rootBits; length++, step <<= 1)
            {
                open = (open << 1) - counts[length];
                if (open < 0)
                {
                    throw new InvalidDataException();
                }

                for (; counts[length] > 0; counts[length]--)
                {
                    Replicate(key, step, tableSize, (length, sorted[next++]));
                    key = NextKey(key, length);
                }
            }

            for (int length = rootBits + 1, step = 2; length <= MaxLength; length++, step <<= 1)
            {
                open = (open << 1) - counts[length];
                if (open < 0)
                {
                    throw new InvalidDataException();
                }

                for (; counts[length] > 0; counts[length]--)
                {
                    if ((key & mask) != low)
                    {
                        tableStart += tableSize;
                        var tableBits = NextTableBits(counts, length, rootBits);
                        tableSize = 1 << tableBits;
                        low = key & mask;
                        table[low] = (tableBits + rootBits, tableStart - low);
                    }

                    Replicate(tableStart + (key >> rootBits), step, tableSize, (length - rootBits, sorted[next++]));
                    key = NextKey(key, length);
                }
            }
        }

        /// <summary>The first entry's length and symbol: ImageSharp skips reading codes whose first entry uses no bits.</summary>
        public (int Bits, int Value) First => table[0];

        public int Decode(ref BitReader bits)
        {
            var at = (int)bits.Peek(rootBits);
            var entry = table[at];
            if (entry.Bits > rootBits)
            {
                bits.Skip(rootBits);
                at += entry.Value + (int)bits.Peek(entry.Bits - rootBits);
                entry = table[at];
            }

            bits.Skip(entry.Bits);
            return entry.Value;
        }

        private static int NextKey(int key, int length)
        {
            var step = 1 << (length - 1);
            while ((key & step) != 0)
            {
                step >>= 1;
            }

            return step != 0 ? (key & (step - 1)) + step : key;
        }

        private static int NextTableBits(int[] counts, int length, int rootBits)
        {
            var left = 1 << (length - rootBits);
            while (length < MaxLength)
            {
                left -= counts[length];
                if (left <= 0)
                {
                    break;
                }

                length++;
                left <<= 1;
            }

            return length - rootBits;
        }

        private void Replicate(int start, int step, int end, (int Bits, int Value) entry)
        {
            do
            {
                end -= step;
                table[start + end] = entry;
            }
            while (end > 0);
        }
    }

    /// <summary>
    /// Least significant bit first; past the file's bytes it reads zeros, as ImageSharp's reader does up to the
    /// chunk's declared size. Only the file's bytes count as bits left: zeros cannot code a prefix code.
    /// </summary>
    private ref struct BitReader(ReadOnlySpan<byte> data, long declaredBytes)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private long position;

        public readonly long BitsLeft => Math.Max(0, (data.Length * 8L) - position);

        public readonly bool PastEnd => position > declaredBytes * 8L;

        public bool ReadBit() => Read(1) != 0;

        public readonly uint Peek(int count)
        {
            uint value = 0;
            for (var i = 0; i < count; i++)
            {
                var at = (position + i) >> 3;
                if (at < data.Length && ((data[(int)at] >> (int)((position + i) & 7)) & 1) != 0)
                {
                    value |= 1u << i;
                }
            }

            return value;
        }

        public void Skip(int count) => position += count;

        public uint Read(int count)
        {
            uint value = 0;
            for (var i = 0; i < count; i++, position++)
            {
                var at = position >> 3;
                if (at < data.Length && ((data[(int)at] >> (int)(position & 7)) & 1) != 0)
                {
                    value |= 1u << i;
                }
            }

            return value;
        }
    }
}
