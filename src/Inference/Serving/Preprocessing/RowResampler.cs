using System.Buffers;
using ConvService.Inference.Simd;

namespace ConvService.Inference.Serving.Preprocessing;

/// <summary>
/// Resamples an 8-bit RGB, opaque RGBA or gray image into a model's tensor while a decoder hands its rows over, top to bottom:
/// the last few rows are kept as floats, and each output row is made as soon as the last source row it reads has
/// come, so the image is never held as planes and the resampling runs beside the decode. The tensor is bit for bit
/// the one <see cref="ImagePreprocessor.PrepareImage(ReadOnlySpan{float}, int, int, int)"/> makes from the same
/// pixels as planes: the same sums (<see cref="Resampler"/>) in the same order. Rows come from one thread at a
/// time; dispose when done.
/// </summary>
public sealed class RowResampler : IDisposable
{
    private readonly ImagePreprocessor owner;
    private readonly Resampler.Taps[] horizontal;
    private readonly Resampler.Taps[] vertical;

    /// <summary>For each output row, the source row after the last one it reads (never less than the row before's).</summary>
    private readonly int[] ready;

    /// <summary>Columns the horizontal filter reads: only these are converted and summed.</summary>
    private readonly int first;
    private readonly int end;

    /// <summary>The last <see cref="capacity"/> source rows as floats, row y in slot y % capacity (up to 4 x width floats a slot).</summary>
    private readonly int capacity;
    private readonly float[] kept;
    private readonly float[] sum;
    private readonly int outputWidth;
    private readonly int outputPlane;
    private float[]? tensor;
    private int nextRow;
    private int nextOutput;
    private int disposed;

    internal RowResampler(ImagePreprocessor owner, int width, int height, Resampler.Taps[] horizontal, Resampler.Taps[] vertical, float[] tensor)
    {
        this.owner = owner;
        Width = width;
        Height = height;
        this.horizontal = horizontal;
        this.vertical = vertical;
        this.tensor = tensor;
        outputWidth = horizontal.Length;
        outputPlane = outputWidth * vertical.Length;
        (first, end) = Resampler.Span(horizontal);
        ready = new int[vertical.Length];
        for (var y = 0; y < vertical.Length; y++)
        {
            ready[y] = Math.Max(y > 0 ? ready[y - 1] : 0, vertical[y].Start + vertical[y].Weights.Length);
            capacity = Math.Max(capacity, ready[y] - vertical[y].Start);
        }

        kept = ArrayPool<float>.Shared.Rent(4 * capacity * width);
        sum = ArrayPool<float>.Shared.Rent(4 * width);
    }

    /// <summary>The image's width in pixels.</summary>
    public int Width { get; }

    /// <summary>The image's height in pixels.</summary>
    public int Height { get; }

    /// <summary>
    /// Takes image row <paramref name="y"/>, the row after the last one taken: <see cref="Width"/> pixels of 3
    /// bytes (R, G, B), 4 (R, G, B and an alpha that is not read: the caller has found every pixel opaque) or 1
    /// (gray, which stands for all three colours, as a gray image decoded to planes does).
    /// </summary>
    public void TakeRow(int y, ReadOnlySpan<byte> pixels, int bytesPerPixel)
    {
        var output = tensor ?? throw new ObjectDisposedException(nameof(RowResampler));
        if (bytesPerPixel is not (1 or 3 or 4) || pixels.Length < Width * bytesPerPixel || y != nextRow || y >= Height)
        {
            throw new ArgumentException($"Rows come in order, each {Width} pixels of 1, 3 or 4 bytes; row {nextRow} of {Height} is next.");
        }

        // Kept as the bytes come (RGB triples, RGBA quads or gray values), only the columns the horizontal filter
        // reads: the column sums work on each value alike, and the horizontal filter reads the pixels.
        nextRow++;
        var rowLength = bytesPerPixel * Width;
        int from = first * bytesPerPixel, to = end * bytesPerPixel;
        Resampler.Widen(pixels[from..to], kept.AsSpan(((y % capacity) * rowLength) + from, to - from));

        for (; nextOutput < vertical.Length && ready[nextOutput] <= nextRow; nextOutput++)
        {
            var (start, w) = vertical[nextOutput];
            var total = sum.AsSpan(0, rowLength);
            total[from..to].Clear();
            for (var k = 0; k < w.Length; k++)
            {
                Resampler.Down(total, w[k], kept.AsSpan(((start + k) % capacity) * rowLength, rowLength), from, to);
            }

            var at = nextOutput * outputWidth;
            Span<float> red = output.AsSpan((owner.TargetChannel(0) * outputPlane) + at, outputWidth),
                green = output.AsSpan((owner.TargetChannel(1) * outputPlane) + at, outputWidth),
                blue = output.AsSpan((owner.TargetChannel(2) * outputPlane) + at, outputWidth);
            if (bytesPerPixel > 1)
            {
                Resampler.AcrossPixels(total, bytesPerPixel, horizontal, red, green, blue, SimdCapabilities.Best);
            }
            else
            {
                Resampler.Across(total, horizontal, red);
                red.CopyTo(green);
                red.CopyTo(blue);
            }
        }
    }

    /// <summary>The model's input, once every row has been taken; the resampler is spent.</summary>
    public PreparedImage Finish()
    {
        if (nextRow != Height || nextOutput != vertical.Length)
        {
            throw new InvalidOperationException($"{nextRow} of the image's {Height} rows were taken.");
        }

        var output = Interlocked.Exchange(ref tensor, null) ?? throw new ObjectDisposedException(nameof(RowResampler));
        return owner.FinishResampled(output);
    }

    /// <summary>Hands the buffers back (once, however often it is called), and the tensor too unless <see cref="Finish"/> took it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (Interlocked.Exchange(ref tensor, null) is { } unused)
        {
            owner.Return(unused);
        }

        ArrayPool<float>.Shared.Return(kept);
        ArrayPool<float>.Shared.Return(sum);
    }
}
