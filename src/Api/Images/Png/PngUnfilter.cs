using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvService.Api.Images.Png;

/// <summary>
/// Undoes PNG's row filters in place (RFC 2083, section 6): each byte gets back <c>predictor(left, up, upper-left)</c>
/// modulo 256, the left neighbour of the first pixel and the row above the first row being zeros. Up has no
/// dependence along the row and runs a vector at a time. Sub, Average and Paeth depend on the pixel to the left:
/// Sub and Average run a byte at a time; Paeth runs a pixel per step in one vector for 3- and 4-byte pixels (a
/// photo's rows are mostly Paeth) and a byte at a time, without branches, for the other sizes.
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

                if (bpp is 3 or 4 && Vector128.IsHardwareAccelerated && n >= 2 * bpp)
                {
                    PaethVector(ref x, ref up, n, bpp);
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
    /// Paeth on 3- or 4-byte pixels from the second pixel on, a pixel per step with its channels in the lanes of one
    /// vector (16-bit lanes): the chain from one pixel to the next is then about ten vector operations instead of
    /// the scalar path's thirty per channel. Each step reads four bytes (a 3-byte pixel and the next one's first)
    /// and writes exactly its pixel's; a last pixel with fewer than four bytes left in the row goes byte by byte.
    /// </summary>
    private static void PaethVector(ref byte x, ref byte up, int n, int bpp)
    {
        var mask = Vector128.Create((short)0xFF);
        var a = Widen(Unsafe.ReadUnaligned<uint>(ref x));
        var c = Widen(Unsafe.ReadUnaligned<uint>(ref up));
        var i = bpp;
        for (; i + 4 <= n; i += bpp)
        {
            var b = Widen(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref up, i)));
            a = (Widen(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref x, i))) + Predict(a, b, c)) & mask;
            var pixel = Narrow(a);
            if (bpp == 4)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref x, i), pixel);
            }
            else
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref x, i), (ushort)pixel);
                Unsafe.Add(ref x, i + 2) = (byte)(pixel >> 16);
            }

            c = b;
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref x, i) += Paeth(Unsafe.Add(ref x, i - bpp), Unsafe.Add(ref up, i), Unsafe.Add(ref up, i - bpp));
        }
    }

    /// <summary>The Paeth predictor in every lane: left unless another neighbour is strictly nearer, then up unless upper-left is.</summary>
    private static Vector128<short> Predict(Vector128<short> left, Vector128<short> up, Vector128<short> upLeft)
    {
        var fromLeft = left - upLeft;
        var fromUp = up - upLeft;
        var pa = Vector128.Abs(fromUp);
        var pb = Vector128.Abs(fromLeft);
        var pc = Vector128.Abs(fromLeft + fromUp);
        var notLeft = Vector128.GreaterThan(pa, pb) | Vector128.GreaterThan(pa, pc);
        var upOrUpLeft = Vector128.ConditionalSelect(Vector128.GreaterThan(pb, pc), upLeft, up);
        return Vector128.ConditionalSelect(notLeft, upOrUpLeft, left);
    }

    private static Vector128<short> Widen(uint bytes) => Vector128.WidenLower(Vector128.CreateScalar(bytes).AsByte()).AsInt16();

    private static uint Narrow(Vector128<short> pixel) => Vector128.Narrow(pixel.AsUInt16(), pixel.AsUInt16()).AsUInt32().ToScalar();

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
