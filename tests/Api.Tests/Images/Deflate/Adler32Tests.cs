using ConvService.Api.Images.Deflate;

namespace ConvService.Api.Tests.Images.Deflate;

/// <summary>The unrolled, run-at-a-time checksum against its definition, one modulus per byte.</summary>
public sealed class Adler32Tests
{
    [Fact]
    public void EqualsTheDefinitionAcrossRunBoundaries()
    {
        var rng = new Random(11);
        foreach (var length in new[] { 0, 1, 3, 4, 5, 5551, 5552, 5553, 11104, 11107, 40000 })
        {
            var data = new byte[length];
            rng.NextBytes(data);
            if (length == 40000)
            {
                // All 0xFF: the largest sums, where an overflow before the modulus would show.
                Array.Fill(data, (byte)0xFF);
            }

            Assert.Equal(Definition(data), Adler32.Append(Adler32.Initial, data));
        }
    }

    [Fact]
    public void ContinuesAcrossCalls()
    {
        var data = new byte[20000];
        new Random(12).NextBytes(data);
        Assert.Equal(Adler32.Append(Adler32.Initial, data), Adler32.Append(Adler32.Append(Adler32.Initial, data.AsSpan(0, 7777)), data.AsSpan(7777)));
        Assert.Equal(0x11E60398u, Adler32.Append(Adler32.Initial, "Wikipedia"u8));
    }

    private static uint Definition(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}
