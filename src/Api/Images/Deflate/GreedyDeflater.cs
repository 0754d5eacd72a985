using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvService.Api.Images.Deflate;

/// <summary>
/// A zlib stream (RFC 1950) of dynamic-Huffman deflate blocks (RFC 1951) from a greedy matcher whose hash covers
/// three bytes, so it finds deflate's shortest matches. zlib-ng's fast levels hash four bytes: on filtered RGB rows
/// of a gray texture, where a pixel is three equal bytes, that missed most matches and wrote files 1.3x the size of
/// ImageSharp's fastest level (docs/performance.md). The whole input is in memory, so positions index it directly
/// and nothing slides.
/// </summary>
public static class GreedyDeflater
{
    private const int HashBits = 15;
    private const int WindowMask = DeflateSymbols.Window - 1;

    /// <summary>Candidates tried per position; ImageSharp's and zlib's fastest levels also stop at four.</summary>
    private const int MaxChain = 4;

    /// <summary>A match this long ends the search.</summary>
    private const int NiceLength = 32;

    /// <summary>Positions inside longer matches are not hashed: long runs of zeros would otherwise cost a hash each.</summary>
    private const int MaxInsertLength = 16;

    /// <summary>A three-byte match farther back costs about as much as its three literals (zlib's TOO_FAR, doubled: measured smaller on the samples).</summary>
    private const int TooFarForThree = 8192;

    /// <summary>Symbols per block: each block's codes fit the part of the image it covers.</summary>
    private const int BlockSymbols = 1 << 14;

    /// <summary>Writes <paramref name="data"/> to <paramref name="output"/> as one zlib stream.</summary>
    public static void Compress(ReadOnlySpan<byte> data, Stream output, CancellationToken cancellationToken = default)
    {
        // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: fastest level, no dictionary, header check bits.
        output.Write([0x78, 0x01]);
        var head = ArrayPool<int>.Shared.Rent(1 << HashBits);
        var previous = ArrayPool<int>.Shared.Rent(DeflateSymbols.Window);
        var block = new Block();
        using var writer = new DeflateBitWriter(output);
        try
        {
            head.AsSpan(0, 1 << HashBits).Fill(-1);
            Match(data, head, previous, block, writer, cancellationToken);
            block.Write(writer, final: true);
            writer.AlignToByte();
            writer.Flush();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(head);
            ArrayPool<int>.Shared.Return(previous);
            block.Dispose();
        }

        Span<byte> checksum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(checksum, Adler32.Append(Adler32.Initial, data));
        output.Write(checksum);
    }

    private static void Match(ReadOnlySpan<byte> data, int[] head, int[] previous, Block block, DeflateBitWriter writer, CancellationToken cancellationToken)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = data.Length;

        // Hashing reads four bytes, so the last three positions are only ever literals.
        var i = 0;
        for (; i < length - 3; )
        {
            var hash = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, i)));
            var candidate = head[hash];
            head[hash] = i;
            previous[i & WindowMask] = candidate;

            var maxLength = Math.Min(DeflateSymbols.MaxMatch, length - i);
            int bestLength = 0, bestDistance = 0, chain = MaxChain;
            while (candidate >= 0 && i - candidate <= DeflateSymbols.Window)
            {
                if (Unsafe.Add(ref start, candidate + bestLength) == Unsafe.Add(ref start, i + bestLength))
                {
                    var matched = MatchLength(ref Unsafe.Add(ref start, candidate), ref Unsafe.Add(ref start, i), maxLength);
                    if (matched > bestLength)
                    {
                        bestLength = matched;
                        bestDistance = i - candidate;
                        if (matched >= NiceLength || matched == maxLength)
                        {
                            break;
                        }
                    }
                }

                if (--chain == 0)
                {
                    break;
                }

                // A slot overwritten by a newer position would lead forwards; the chain ends there.
                var next = previous[candidate & WindowMask];
                if (next >= candidate)
                {
                    break;
                }

                candidate = next;
            }

            if (bestLength > DeflateSymbols.MinMatch || (bestLength == DeflateSymbols.MinMatch && bestDistance <= TooFarForThree))
            {
                block.AddMatch(bestLength, bestDistance);
                if (bestLength <= MaxInsertLength)
                {
                    var end = Math.Min(i + bestLength, length - 3);
                    for (var p = i + 1; p < end; p++)
                    {
                        var h = Hash(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, p)));
                        previous[p & WindowMask] = head[h];
                        head[h] = p;
                    }
                }

                i += bestLength;
            }
            else
            {
                block.AddLiteral(Unsafe.Add(ref start, i));
                i++;
            }

            if (block.IsFull)
            {
                cancellationToken.ThrowIfCancellationRequested();
                block.Write(writer, final: false);
            }
        }

        for (; i < length; i++)
        {
            block.AddLiteral(data[i]);
            if (block.IsFull)
            {
                block.Write(writer, final: false);
            }
        }
    }

    /// <summary>Multiplicative hash of the low three bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(uint fourBytes) => (int)(((fourBytes & 0xFFFFFF) * 2654435761u) >> (32 - HashBits));

    /// <summary>Common prefix of two positions, eight bytes at a time, at most <paramref name="max"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MatchLength(ref byte earlier, ref byte current, int max)
    {
        var matched = 0;
        for (; matched <= max - 8; matched += 8)
        {
            var difference = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref earlier, matched)) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref current, matched));
            if (difference != 0)
            {
                return matched + (BitOperations.TrailingZeroCount(difference) >> 3);
            }
        }

        while (matched < max && Unsafe.Add(ref earlier, matched) == Unsafe.Add(ref current, matched))
        {
            matched++;
        }

        return matched;
    }

    /// <summary>One block's symbols and their frequencies until its codes are built and it is written.</summary>
    private sealed class Block : IDisposable
    {
        // Per symbol: a literal byte, or a match's length; the distance is 0 for literals.
        private ushort[] values = ArrayPool<ushort>.Shared.Rent(BlockSymbols);
        private ushort[] distances = ArrayPool<ushort>.Shared.Rent(BlockSymbols);
        private readonly int[] literalFrequencies = new int[DeflateSymbols.LiteralLengthCount];
        private readonly int[] distanceFrequencies = new int[DeflateSymbols.DistanceCount];
        private readonly byte[] literalLengths = new byte[DeflateSymbols.LiteralLengthCount];
        private readonly byte[] distanceLengths = new byte[DeflateSymbols.DistanceCount];
        private readonly ushort[] literalCodes = new ushort[DeflateSymbols.LiteralLengthCount];
        private readonly ushort[] distanceCodes = new ushort[DeflateSymbols.DistanceCount];
        private int count;

        public bool IsFull => count == BlockSymbols;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void AddLiteral(byte literal)
        {
            values[count] = literal;
            distances[count++] = 0;
            literalFrequencies[literal]++;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void AddMatch(int length, int distance)
        {
            values[count] = (ushort)length;
            distances[count++] = (ushort)distance;
            literalFrequencies[DeflateSymbols.EndOfBlock + 1 + DeflateSymbols.LengthCode[length]]++;
            distanceFrequencies[DeflateSymbols.DistanceCode[distance - 1]]++;
        }

        public void Write(DeflateBitWriter writer, bool final)
        {
            literalFrequencies[DeflateSymbols.EndOfBlock] = 1;
            CompleteDistanceCode();
            HuffmanCode.BuildLengths(literalFrequencies, 15, literalLengths);
            HuffmanCode.BuildLengths(distanceFrequencies, 15, distanceLengths);
            HuffmanCode.BuildCodes(literalLengths, literalCodes);
            HuffmanCode.BuildCodes(distanceLengths, distanceCodes);

            writer.Write(final ? 1u : 0u, 1);
            writer.Write(2, 2);
            WriteCodeLengths(writer);
            WriteSymbols(writer);
            writer.Write(literalCodes[DeflateSymbols.EndOfBlock], literalLengths[DeflateSymbols.EndOfBlock]);

            count = 0;
            Array.Clear(literalFrequencies);
            Array.Clear(distanceFrequencies);
        }

        public void Dispose()
        {
            ArrayPool<ushort>.Shared.Return(values);
            ArrayPool<ushort>.Shared.Return(distances);
            values = distances = [];
        }

        /// <summary>A block without matches still declares a distance code; two used codes keep it complete for every inflater.</summary>
        private void CompleteDistanceCode()
        {
            var used = 0;
            foreach (var frequency in distanceFrequencies)
            {
                used += frequency > 0 ? 1 : 0;
            }

            for (var code = 0; used < 2; code++)
            {
                if (distanceFrequencies[code] == 0)
                {
                    distanceFrequencies[code] = 1;
                    used++;
                }
            }
        }

        /// <summary>Symbols per hand-over from the bit writer: at most six bytes each, plus one eight-byte store's slack.</summary>
        private const int SymbolsPerBatch = 8192;

        private void WriteSymbols(DeflateBitWriter writer)
        {
            var lengthExtra = DeflateSymbols.LengthExtraBits;
            var lengthBase = DeflateSymbols.LengthBase;
            var distanceExtra = DeflateSymbols.DistanceExtraBits;
            var distanceBase = DeflateSymbols.DistanceBase;
            for (var s = 0; s < count; )
            {
                var end = Math.Min(count, s + SymbolsPerBatch);
                var buffer = writer.Begin((SymbolsPerBatch * 6) + 8, out var position, out var bits, out var pending);
                ref var start = ref MemoryMarshal.GetArrayDataReference(buffer);
                for (; s < end; s++)
                {
                    // A literal, or a length and a distance with their extra bits: at most 48 bits on top of fewer than 8 pending.
                    int value = values[s], distance = distances[s];
                    ulong code;
                    int length;
                    if (distance == 0)
                    {
                        code = literalCodes[value];
                        length = literalLengths[value];
                    }
                    else
                    {
                        int lengthCode = DeflateSymbols.LengthCode[value];
                        var symbol = DeflateSymbols.EndOfBlock + 1 + lengthCode;
                        code = literalCodes[symbol] | ((ulong)(value - lengthBase[lengthCode]) << literalLengths[symbol]);
                        length = literalLengths[symbol] + lengthExtra[lengthCode];
                        int distanceCode = DeflateSymbols.DistanceCode[distance - 1];
                        code |= (distanceCodes[distanceCode] | ((ulong)(distance - distanceBase[distanceCode]) << distanceLengths[distanceCode])) << length;
                        length += distanceLengths[distanceCode] + distanceExtra[distanceCode];
                    }

                    bits |= code << pending;
                    pending += length;
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, position), bits);
                    var whole = pending >> 3;
                    position += whole;
                    bits >>= whole << 3;
                    pending &= 7;
                }

                writer.End(position, bits, pending);
            }
        }

        /// <summary>HLIT, HDIST, HCLEN and the two codes' lengths, run-length coded with symbols 16, 17 and 18.</summary>
        private void WriteCodeLengths(DeflateBitWriter writer)
        {
            var literalCount = DeflateSymbols.LiteralLengthCount;
            while (literalCount > 257 && literalLengths[literalCount - 1] == 0)
            {
                literalCount--;
            }

            var distanceCount = DeflateSymbols.DistanceCount;
            while (distanceCount > 1 && distanceLengths[distanceCount - 1] == 0)
            {
                distanceCount--;
            }

            Span<byte> lengths = stackalloc byte[literalCount + distanceCount];
            literalLengths.AsSpan(0, literalCount).CopyTo(lengths);
            distanceLengths.AsSpan(0, distanceCount).CopyTo(lengths[literalCount..]);

            Span<byte> symbols = stackalloc byte[lengths.Length];
            Span<byte> extras = stackalloc byte[lengths.Length];
            var symbolCount = RunLengthCode(lengths, symbols, extras);

            Span<int> frequencies = stackalloc int[19];
            foreach (var symbol in symbols[..symbolCount])
            {
                frequencies[symbol]++;
            }

            Span<byte> codeLengths = stackalloc byte[19];
            Span<ushort> codes = stackalloc ushort[19];
            HuffmanCode.BuildLengths(frequencies, 7, codeLengths);
            HuffmanCode.BuildCodes(codeLengths, codes);

            ReadOnlySpan<byte> order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
            var orderCount = order.Length;
            while (orderCount > 4 && codeLengths[order[orderCount - 1]] == 0)
            {
                orderCount--;
            }

            writer.Write((uint)(literalCount - 257), 5);
            writer.Write((uint)(distanceCount - 1), 5);
            writer.Write((uint)(orderCount - 4), 4);
            for (var i = 0; i < orderCount; i++)
            {
                writer.Write(codeLengths[order[i]], 3);
            }

            for (var i = 0; i < symbolCount; i++)
            {
                int symbol = symbols[i];
                writer.Write(codes[symbol], codeLengths[symbol]);
                switch (symbol)
                {
                    case 16:
                        writer.Write(extras[i], 2);
                        break;
                    case 17:
                        writer.Write(extras[i], 3);
                        break;
                    case 18:
                        writer.Write(extras[i], 7);
                        break;
                }
            }
        }

        /// <summary>Code lengths as RFC 1951's code-length alphabet: 16 repeats the previous 3-6 times, 17 and 18 write 3-10 and 11-138 zeros.</summary>
        private static int RunLengthCode(ReadOnlySpan<byte> lengths, Span<byte> symbols, Span<byte> extras)
        {
            var n = 0;
            for (var i = 0; i < lengths.Length; )
            {
                var length = lengths[i];
                var run = 1;
                while (i + run < lengths.Length && lengths[i + run] == length)
                {
                    run++;
                }

                i += run;
                if (length == 0)
                {
                    for (; run >= 11; )
                    {
                        var take = Math.Min(run, 138);
                        symbols[n] = 18;
                        extras[n++] = (byte)(take - 11);
                        run -= take;
                    }

                    if (run >= 3)
                    {
                        symbols[n] = 17;
                        extras[n++] = (byte)(run - 3);
                        run = 0;
                    }
                }
                else
                {
                    symbols[n++] = length;
                    run--;
                    for (; run >= 3; )
                    {
                        var take = Math.Min(run, 6);
                        symbols[n] = 16;
                        extras[n++] = (byte)(take - 3);
                        run -= take;
                    }
                }

                for (; run > 0; run--)
                {
                    symbols[n++] = length;
                }
            }

            return n;
        }
    }
}
