using System.Numerics;

namespace ConvService.Api.Images;

/// <summary>
/// PNG's row filters (RFC 2083, section 6): each writes <c>raw[i] - predictor(left, up, upper-left)</c> modulo 256
/// and returns the sum of the outputs read as signed bytes' magnitudes, the usual heuristic for choosing a row's
/// filter. <c>bpp</c> is bytes per pixel; the left neighbour of the first pixel and the row above the first row are
/// zeros. The vector paths use <see cref="Vector{T}"/>, so one body serves AVX2, SSE and ARM64's AdvSimd; the
/// scalar paths are the reference the tests hold them to.
/// </summary>
public static class PngRowFilters
{
    /// <summary>Filters <paramref name="raw"/> into <paramref name="output"/> (same length) and returns its cost.</summary>
    public static long Apply(PngFilter filter, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        if (!Vector.IsHardwareAccelerated || raw.Length < bpp + Vector<byte>.Count)
        {
            return ApplyScalar(filter, raw, prior, bpp, output);
        }

        return filter switch
        {
            PngFilter.None => None(raw, output),
            PngFilter.Sub => Sub(raw, bpp, output),
            PngFilter.Up => Up(raw, prior, output),
            PngFilter.Average => Average(raw, prior, bpp, output),
            PngFilter.Paeth => Paeth(raw, prior, bpp, output),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
    }

    /// <summary>One byte at a time, exactly as the specification reads.</summary>
    public static long ApplyScalar(PngFilter filter, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        long cost = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            int left = i >= bpp ? raw[i - bpp] : 0, up = prior[i], upLeft = i >= bpp ? prior[i - bpp] : 0;
            var predictor = filter switch
            {
                PngFilter.None => 0,
                PngFilter.Sub => left,
                PngFilter.Up => up,
                PngFilter.Average => (left + up) >> 1,
                PngFilter.Paeth => PaethPredictor(left, up, upLeft),
                _ => throw new ArgumentOutOfRangeException(nameof(filter)),
            };
            var value = (byte)(raw[i] - predictor);
            output[i] = value;
            cost += Magnitude(value);
        }

        return cost;
    }

    /// <summary>|b| with b read as a signed byte; 0x80 counts 128, which Math.Abs on sbyte cannot return.</summary>
    private static int Magnitude(byte b) => b < 128 ? b : 256 - b;

    private static int PaethPredictor(int left, int up, int upLeft)
    {
        var p = left + up - upLeft;
        int pa = Math.Abs(p - left), pb = Math.Abs(p - up), pc = Math.Abs(p - upLeft);
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }

    private static long None(ReadOnlySpan<byte> raw, Span<byte> output)
    {
        raw.CopyTo(output);
        var cost = new CostAccumulator();
        var i = 0;
        for (; i <= raw.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            cost.Add(new Vector<byte>(raw[i..]));
        }

        return cost.Total + ScalarTail(PngFilter.None, raw, default, 0, output, i);
    }

    private static long Sub(ReadOnlySpan<byte> raw, int bpp, Span<byte> output)
    {
        var cost = new CostAccumulator();
        long head = 0;
        for (var i = 0; i < bpp; i++)
        {
            output[i] = raw[i];
            head += Magnitude(raw[i]);
        }

        var x = bpp;
        for (; x <= raw.Length - Vector<byte>.Count; x += Vector<byte>.Count)
        {
            var value = new Vector<byte>(raw[x..]) - new Vector<byte>(raw[(x - bpp)..]);
            value.CopyTo(output[x..]);
            cost.Add(value);
        }

        return head + cost.Total + ScalarTail(PngFilter.Sub, raw, default, bpp, output, x);
    }

    private static long Up(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, Span<byte> output)
    {
        var cost = new CostAccumulator();
        var x = 0;
        for (; x <= raw.Length - Vector<byte>.Count; x += Vector<byte>.Count)
        {
            var value = new Vector<byte>(raw[x..]) - new Vector<byte>(prior[x..]);
            value.CopyTo(output[x..]);
            cost.Add(value);
        }

        return cost.Total + ScalarTail(PngFilter.Up, raw, prior, 0, output, x);
    }

    private static long Average(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        var cost = new CostAccumulator();
        long head = 0;
        for (var i = 0; i < bpp; i++)
        {
            var value = (byte)(raw[i] - (prior[i] >> 1));
            output[i] = value;
            head += Magnitude(value);
        }

        var x = bpp;
        for (; x <= raw.Length - Vector<byte>.Count; x += Vector<byte>.Count)
        {
            var left = new Vector<byte>(raw[(x - bpp)..]);
            var up = new Vector<byte>(prior[x..]);

            // floor((left + up) / 2) without widening: the shared bits plus half the differing ones.
            var mean = (left & up) + Vector.ShiftRightLogical(left ^ up, 1);
            var value = new Vector<byte>(raw[x..]) - mean;
            value.CopyTo(output[x..]);
            cost.Add(value);
        }

        return head + cost.Total + ScalarTail(PngFilter.Average, raw, prior, bpp, output, x);
    }

    private static long Paeth(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        var cost = new CostAccumulator();
        long head = 0;
        for (var i = 0; i < bpp; i++)
        {
            // With no left neighbour Paeth predicts from the byte above.
            var value = (byte)(raw[i] - prior[i]);
            output[i] = value;
            head += Magnitude(value);
        }

        var x = bpp;
        for (; x <= raw.Length - Vector<byte>.Count; x += Vector<byte>.Count)
        {
            var predictor = PaethPredictor(
                new Vector<byte>(raw[(x - bpp)..]), new Vector<byte>(prior[x..]), new Vector<byte>(prior[(x - bpp)..]));
            var value = new Vector<byte>(raw[x..]) - predictor;
            value.CopyTo(output[x..]);
            cost.Add(value);
        }

        return head + cost.Total + ScalarTail(PngFilter.Paeth, raw, prior, bpp, output, x);
    }

    private static Vector<byte> PaethPredictor(Vector<byte> left, Vector<byte> up, Vector<byte> upLeft)
    {
        Vector.Widen(left, out var leftLow, out var leftHigh);
        Vector.Widen(up, out var upLow, out var upHigh);
        Vector.Widen(upLeft, out var upLeftLow, out var upLeftHigh);
        return Vector.Narrow(
            PaethPredictor(leftLow.As<ushort, short>(), upLow.As<ushort, short>(), upLeftLow.As<ushort, short>()).As<short, ushort>(),
            PaethPredictor(leftHigh.As<ushort, short>(), upHigh.As<ushort, short>(), upLeftHigh.As<ushort, short>()).As<short, ushort>());
    }

    private static Vector<short> PaethPredictor(Vector<short> left, Vector<short> up, Vector<short> upLeft)
    {
        // p - left = up - upLeft, p - up = left - upLeft, p - upLeft = left + up - 2 upLeft: no overflow in 16 bits.
        var pa = Vector.Abs(up - upLeft);
        var pb = Vector.Abs(left - upLeft);
        var pc = Vector.Abs(left + up - upLeft - upLeft);
        var takeLeft = Vector.LessThanOrEqual(pa, pb) & Vector.LessThanOrEqual(pa, pc);
        var takeUp = Vector.LessThanOrEqual(pb, pc);
        return Vector.ConditionalSelect(takeLeft, left, Vector.ConditionalSelect(takeUp, up, upLeft));
    }

    /// <summary>The bytes after the last whole vector, filtered one at a time with the specification's formula.</summary>
    private static long ScalarTail(PngFilter filter, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, int bpp, Span<byte> output, int from)
    {
        long cost = 0;
        for (var i = from; i < raw.Length; i++)
        {
            int left = i >= bpp ? raw[i - bpp] : 0;
            int up = prior.IsEmpty ? 0 : prior[i];
            int upLeft = prior.IsEmpty || i < bpp ? 0 : prior[i - bpp];
            var predictor = filter switch
            {
                PngFilter.None => 0,
                PngFilter.Sub => left,
                PngFilter.Up => up,
                PngFilter.Average => (left + up) >> 1,
                _ => PaethPredictor(left, up, upLeft),
            };
            var value = (byte)(raw[i] - predictor);
            output[i] = value;
            cost += Magnitude(value);
        }

        return cost;
    }

    /// <summary>
    /// Sums |(sbyte)b| over vectors of bytes in 16-bit lanes, which hold 255 vectors' worth (two bytes of at most
    /// 128 per lane each time) before they are folded into the 64-bit total.
    /// </summary>
    private struct CostAccumulator
    {
        private Vector<ushort> lanes;
        private int pending;
        private long folded;

        public readonly long Total => folded + Fold(lanes);

        public void Add(Vector<byte> value)
        {
            var magnitude = Vector.Abs(value.As<byte, sbyte>()).As<sbyte, byte>();
            Vector.Widen(magnitude, out var low, out var high);
            lanes += low + high;
            if (++pending == 255)
            {
                folded += Fold(lanes);
                lanes = default;
                pending = 0;
            }
        }

        private static long Fold(Vector<ushort> lanes)
        {
            Vector.Widen(lanes, out var low, out var high);
            return Vector.Sum(low + high);
        }
    }
}
