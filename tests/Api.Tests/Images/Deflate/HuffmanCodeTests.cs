using ConvService.Api.Images.Deflate;

namespace ConvService.Api.Tests.Images.Deflate;

/// <summary>Code lengths stay within the limit and form a complete prefix code; canonical codes are prefix-free.</summary>
public sealed class HuffmanCodeTests
{
    [Theory]
    [InlineData(15, 286)]
    [InlineData(7, 19)]
    public void FibonacciFrequenciesAreFoldedToTheLimitAndStayComplete(int limit, int symbols)
    {
        // Fibonacci weights make the unlimited tree as deep as there are symbols.
        var frequencies = new int[symbols];
        int a = 1, b = 1;
        for (var s = 0; s < Math.Min(symbols, 30); s++)
        {
            frequencies[s] = a;
            (a, b) = (b, a + b);
        }

        var lengths = new byte[symbols];
        HuffmanCode.BuildLengths(frequencies, limit, lengths);
        Assert.All(lengths, l => Assert.InRange(l, 0, limit));
        Assert.Equal(1.0, Kraft(lengths), 12);
        for (var s = 0; s < symbols; s++)
        {
            Assert.Equal(frequencies[s] > 0, lengths[s] > 0);
        }

        AssertPrefixFree(lengths);
    }

    [Fact]
    public void MoreFrequentSymbolsNeverGetLongerCodes()
    {
        var rng = new Random(13);
        var frequencies = Enumerable.Range(0, 286).Select(_ => rng.Next(3) == 0 ? 0 : rng.Next(1, 5000)).ToArray();
        var lengths = new byte[286];
        HuffmanCode.BuildLengths(frequencies, 15, lengths);
        Assert.Equal(1.0, Kraft(lengths), 12);
        for (var s = 0; s < 286; s++)
        {
            for (var t = 0; t < 286; t++)
            {
                if (frequencies[s] > frequencies[t] && frequencies[t] > 0)
                {
                    Assert.True(lengths[s] <= lengths[t], $"symbol {s} ({frequencies[s]}) has {lengths[s]} bits, {t} ({frequencies[t]}) {lengths[t]}");
                }
            }
        }

        AssertPrefixFree(lengths);
    }

    [Fact]
    public void OneUsedSymbolTakesOneBit()
    {
        var frequencies = new int[30];
        frequencies[2] = 5;
        var lengths = new byte[30];
        HuffmanCode.BuildLengths(frequencies, 15, lengths);
        Assert.Equal(1, lengths[2]);
        Assert.Equal(1, lengths.Count(l => l > 0));
    }

    private static double Kraft(byte[] lengths) => lengths.Where(l => l > 0).Sum(l => Math.Pow(2, -l));

    /// <summary>No code, read in deflate's bit order, starts another.</summary>
    private static void AssertPrefixFree(byte[] lengths)
    {
        var codes = new ushort[lengths.Length];
        HuffmanCode.BuildCodes(lengths, codes);
        for (var s = 0; s < lengths.Length; s++)
        {
            for (var t = 0; t < lengths.Length; t++)
            {
                if (s != t && lengths[s] > 0 && lengths[t] >= lengths[s])
                {
                    var mask = (1 << lengths[s]) - 1;
                    Assert.NotEqual(codes[s], codes[t] & mask);
                }
            }
        }
    }
}
