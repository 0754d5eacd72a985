using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvService.Api.Images.Png;

/// <summary>
/// Undoes PNG's row filters in place (RFC 2083, section 6): each byte gets back <c>predictor(left, up, upper-left)</c>
/// modulo 256, the left neighbour of the first pixel and the row above the first row being zeros. Up has no
/// dependence along the row and runs a vector at a time; Sub, Average and Paeth depend on the byte
/// bytes-per-pixel back and run a byte at a time, as in every decoder.
/// </summary>
internal static class PngUnfilter
{
    /// <summary>False for a filter type other than 0 to 4. <paramref name="prior"/> is at least as long as <paramref name="row"/>.</summary>
    public static bool Apply(byte filter, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        if (prior.Length < row.Length || bpp is < 1 or > 8)
        {
            throw new ArgumentException("The row above is shorter than the row, or the pixel size is not 1 to 8 bytes.");
        }

        // Checked above: every index below is within both rows, so the loops read through refs without bounds checks.
        ref var x = ref MemoryMarshal.GetReference(row);
        ref var up = ref MemoryMarshal.GetReference(prior);
        var n = row.Length;
        var first = Math.Min(bpp, n);
        switch (filter)
        {
            case 0:
                return true;
            case 1:
                for (var i = bpp; i < n; i++)
                {
                    Unsafe.Add(ref x, i) += Unsafe.Add(ref x, i - bpp);
                }

                return true;
            case 2:
                Up(row, prior);
                return true;
            case 3:
                for (var i = 0; i < first; i++)
                {
                    Unsafe.Add(ref x, i) += (byte)(Unsafe.Add(ref up, i) >> 1);
                }

                for (var i = bpp; i < n; i++)
                {
                    Unsafe.Add(ref x, i) += (byte)((Unsafe.Add(ref x, i - bpp) + Unsafe.Add(ref up, i)) >> 1);
                }

                return true;
            case 4:
                for (var i = 0; i < first; i++)
                {
                    Unsafe.Add(ref x, i) += Unsafe.Add(ref up, i);
                }

                if (bpp == 3)
                {
                    PaethRgb(ref x, ref up, n);
                }
                else if (bpp == 4)
                {
                    PaethRgba(ref x, ref up, n);
                }
                else
                {
                    for (var i = bpp; i < n; i++)
                    {
                        Unsafe.Add(ref x, i) += Paeth(Unsafe.Add(ref x, i - bpp), Unsafe.Add(ref up, i), Unsafe.Add(ref up, i - bpp));
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Paeth on 3-byte pixels from the second pixel on, each channel's left and upper-left neighbours carried in
    /// registers: read back from the row, every byte waited for the store three bytes before it.
    /// </summary>
    private static void PaethRgb(ref byte x, ref byte up, int n)
    {
        int a0 = x, a1 = Unsafe.Add(ref x, 1), a2 = Unsafe.Add(ref x, 2);
        int c0 = up, c1 = Unsafe.Add(ref up, 1), c2 = Unsafe.Add(ref up, 2);
        for (var i = 3; i + 3 <= n; i += 3)
        {
            int b0 = Unsafe.Add(ref up, i), b1 = Unsafe.Add(ref up, i + 1), b2 = Unsafe.Add(ref up, i + 2);
            a0 = (byte)(Unsafe.Add(ref x, i) + Paeth(a0, b0, c0));
            a1 = (byte)(Unsafe.Add(ref x, i + 1) + Paeth(a1, b1, c1));
            a2 = (byte)(Unsafe.Add(ref x, i + 2) + Paeth(a2, b2, c2));
            Unsafe.Add(ref x, i) = (byte)a0;
            Unsafe.Add(ref x, i + 1) = (byte)a1;
            Unsafe.Add(ref x, i + 2) = (byte)a2;
            (c0, c1, c2) = (b0, b1, b2);
        }
    }

    /// <summary>As <see cref="PaethRgb"/> for 4-byte pixels.</summary>
    private static void PaethRgba(ref byte x, ref byte up, int n)
    {
        int a0 = x, a1 = Unsafe.Add(ref x, 1), a2 = Unsafe.Add(ref x, 2), a3 = Unsafe.Add(ref x, 3);
        int c0 = up, c1 = Unsafe.Add(ref up, 1), c2 = Unsafe.Add(ref up, 2), c3 = Unsafe.Add(ref up, 3);
        for (var i = 4; i + 4 <= n; i += 4)
        {
            int b0 = Unsafe.Add(ref up, i), b1 = Unsafe.Add(ref up, i + 1), b2 = Unsafe.Add(ref up, i + 2), b3 = Unsafe.Add(ref up, i + 3);
            a0 = (byte)(Unsafe.Add(ref x, i) + Paeth(a0, b0, c0));
            a1 = (byte)(Unsafe.Add(ref x, i + 1) + Paeth(a1, b1, c1));
            a2 = (byte)(Unsafe.Add(ref x, i + 2) + Paeth(a2, b2, c2));
            a3 = (byte)(Unsafe.Add(ref x, i + 3) + Paeth(a3, b3, c3));
            Unsafe.Add(ref x, i) = (byte)a0;
            Unsafe.Add(ref x, i + 1) = (byte)a1;
            Unsafe.Add(ref x, i + 2) = (byte)a2;
            Unsafe.Add(ref x, i + 3) = (byte)a3;
            (c0, c1, c2, c3) = (b0, b1, b2, b3);
        }
    }

    /// <summary>The specification's predictor, one byte at a time: the reference for <see cref="Apply"/>'s paths.</summary>
    public static void ApplyScalar(byte filter, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        for (var i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0, up = prior[i], upLeft = i >= bpp ? prior[i - bpp] : 0;
            var predictor = filter switch
            {
                1 => left,
                2 => up,
                3 => (left + up) >> 1,
                4 => PaethAsWritten(left, up, upLeft),
                _ => 0,
            };
            row[i] = (byte)(row[i] + predictor);
        }
    }

    private static void Up(Span<byte> row, ReadOnlySpan<byte> prior)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(row[i..]) + new Vector<byte>(prior[i..])).CopyTo(row[i..]);
            }
        }

        for (; i < row.Length; i++)
        {
            row[i] += prior[i];
        }
    }

    /// <summary>
    /// The neighbour nearest to left + up - upper-left, ties going to left, then up; without branches, as on a photo
    /// the choice is close to random and a mispredicted branch per byte cost more than the rest of the decode.
    /// </summary>
    private static byte Paeth(int left, int up, int upLeft)
    {
        // p - left = up - upLeft, p - up = left - upLeft, p - upLeft = left + up - 2 upLeft.
        int pa = Abs(up - upLeft), pb = Abs(left - upLeft), pc = Abs(left + up - (2 * upLeft));
        var notLeft = ((pb - pa) | (pc - pa)) >> 31;
        var notUp = (pc - pb) >> 31;
        var upOrUpLeft = up ^ ((up ^ upLeft) & notUp);
        return (byte)(left ^ ((left ^ upOrUpLeft) & notLeft));
    }

    private static int Abs(int x)
    {
        var sign = x >> 31;
        return (x ^ sign) - sign;
    }

    /// <summary>The predictor as the specification writes it, for the scalar reference.</summary>
    private static int PaethAsWritten(int left, int up, int upLeft)
    {
        var p = left + up - upLeft;
        int pa = Math.Abs(p - left), pb = Math.Abs(p - up), pc = Math.Abs(p - upLeft);
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
}
