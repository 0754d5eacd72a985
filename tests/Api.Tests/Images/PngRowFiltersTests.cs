using ConvService.Api.Images;

namespace ConvService.Api.Tests.Images;

/// <summary>Each vector row filter against its byte-at-a-time reference, at every length around the vector width.</summary>
public sealed class PngRowFiltersTests
{
    public static TheoryData<PngFilter, int> FiltersAndPixelSizes()
    {
        var data = new TheoryData<PngFilter, int>();
        foreach (var filter in Enum.GetValues<PngFilter>())
        {
            foreach (var bpp in new[] { 1, 3, 4 })
            {
                data.Add(filter, bpp);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FiltersAndPixelSizes))]
    public void VectorPathEqualsTheScalarReference(PngFilter filter, int bpp)
    {
        var rng = new Random(42 + (int)filter + bpp);
        for (var pixels = 1; pixels <= 300; pixels++)
        {
            var length = pixels * bpp;
            var raw = new byte[length];
            var prior = new byte[length];
            rng.NextBytes(raw);
            rng.NextBytes(prior);
            if (pixels % 3 == 0)
            {
                // Extremes: the Paeth distances and the Average's carry at their limits.
                for (var i = 0; i < length; i++)
                {
                    raw[i] = (byte)(rng.Next(2) * 255);
                    prior[i] = (byte)(rng.Next(2) * 255);
                }
            }

            var expected = new byte[length];
            var actual = new byte[length + 1];
            actual[^1] = 0xA5;
            var expectedCost = PngRowFilters.ApplyScalar(filter, raw, prior, bpp, expected);
            var actualCost = PngRowFilters.Apply(filter, raw, prior, bpp, actual.AsSpan(0, length));

            Assert.Equal(expected, actual[..length]);
            Assert.Equal(expectedCost, actualCost);
            Assert.Equal(0xA5, actual[^1]);
        }
    }

    [Fact]
    public void CostFoldsBeforeItsSixteenBitLanesOverflow()
    {
        // 0x80 is the largest magnitude, 128, in every byte of a row long enough to fill the lanes many times over.
        var raw = new byte[64 * 1024];
        Array.Fill(raw, (byte)0x80);
        var output = new byte[raw.Length];
        Assert.Equal(128L * raw.Length, PngRowFilters.Apply(PngFilter.None, raw, new byte[raw.Length], 1, output));
    }

    [Fact]
    public void SlicedCrcEqualsTheBitwiseOne()
    {
        var rng = new Random(3);
        for (var length = 0; length <= 100; length++)
        {
            var data = new byte[length];
            rng.NextBytes(data);
            Assert.Equal(PngCrc.AppendBitwise(0, data), PngCrc.Append(0, data));
        }

        Assert.Equal(0xCBF43926u, PngCrc.Append(0, "123456789"u8));
    }
}
