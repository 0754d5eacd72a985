using System.Buffers;
using ConvService.Inference.Workers;

namespace ConvService.Api.Images.Png;

/// <summary>
/// Decodes a PNG on two cores: the calling thread inflates the rows into one buffer for the whole image while a
/// helper checks the IDAT chunks' CRCs, unfilters the rows as they come out and hands them to the target (planes,
/// or a model's resampler). Inflating is the longer half (about 1.3 ms of a 451x300 photo's 2.3), so once the
/// helper runs it keeps up. Waking a helper can take longer than the whole decode on a virtual machine, so until
/// it arrives the caller unfilters the rows it has inflated itself, as on one thread, and hands the rest over
/// when it does: a late helper costs little. The results are bit for bit those of the one-thread path, the same
/// row code running on the same rows in order.
/// </summary>
internal sealed class PngRowPipeline
{
    /// <summary>Inflated bytes below which waking a helper costs more than it saves (a 128x128 RGB image is 49 KB).</summary>
    public const long WorthItBytes = 64 * 1024;

    /// <summary>Bytes inflated per call: whole rows, so rows are handed over often.</summary>
    private const int ReadBytes = 16 * 1024;

    private readonly ArraySegment<byte> bytes;
    private readonly PngPlanes.PngLayout file;
    private readonly RowTarget target;
    private readonly byte[] rows;

    /// <summary>Image rows inflated so far, published after their bytes (no one unfilters further).</summary>
    private int inflated;

    /// <summary>Image rows unfiltered and spread so far; changed only by the holder of <see cref="chain"/>.</summary>
    private int done;

    /// <summary>1 while a thread unfilters: rows depend on the row above, so one thread at a time, in order.</summary>
    private int chain;

    /// <summary>1 once the helper has started: from then on the unfiltering is its alone.</summary>
    private int helperArrived;

    /// <summary>Set by either side to stop the other: an irregular file, a failure or cancellation.</summary>
    private int stopped;

    private bool irregular;
    private bool translucent;

    private PngRowPipeline(ArraySegment<byte> bytes, PngPlanes.PngLayout file, RowTarget target, byte[] rows)
    {
        this.bytes = bytes;
        this.file = file;
        this.target = target;
        this.rows = rows;
    }

    /// <summary>Whether a pixel is translucent, or null for an irregular file; a malformed stream throws, as on one thread.</summary>
    internal static bool? Decode(ArraySegment<byte> bytes, PngPlanes.PngLayout file, RowTarget target, CancellationToken cancellationToken)
    {
        // Row 0 is the zeros above the image; image row y is buffer row y + 1.
        var rows = ArrayPool<byte>.Shared.Rent((file.Height + 1) * file.Stride);
        try
        {
            rows.AsSpan(0, file.Stride).Clear();
            var pipeline = new PngRowPipeline(bytes, file, target, rows);
            SharedWork.Run(2, share =>
            {
                if (share == 0)
                {
                    pipeline.Inflate(cancellationToken);
                }
                else
                {
                    pipeline.Unfilter();
                }
            });
            return pipeline.irregular ? null : pipeline.translucent;
        }
        finally
        {
            // Both halves have returned: nothing reads the buffer any more.
            ArrayPool<byte>.Shared.Return(rows);
        }
    }

    /// <summary>Share 0, on the calling thread.</summary>
    private void Inflate(CancellationToken cancellationToken)
    {
        try
        {
            using var inflater = PngPlanes.Inflater(bytes, file);
            var stride = file.Stride;
            var step = Math.Clamp(ReadBytes / stride, 1, file.Height);
            for (var y = 0; y < file.Height; y += step)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Volatile.Read(ref stopped) != 0)
                {
                    return;
                }

                var count = Math.Min(step, file.Height - y);
                inflater.ReadExactly(rows.AsSpan((y + 1) * stride, count * stride));
                Volatile.Write(ref inflated, y + count);
                if (Volatile.Read(ref helperArrived) == 0 && TryTakeChain())
                {
                    // No helper yet: unfilter what is out, as the one-thread path would.
                    TakeRows();
                    Volatile.Write(ref chain, 0);
                }
            }

            // The image's bytes are all read; anything more before the stream's end (and its checksum) is irregular.
            if (!PngPlanes.AtEnd(inflater))
            {
                Stop();
            }
        }
        finally
        {
            if (Volatile.Read(ref inflated) < file.Height)
            {
                // Thrown or stopped: the helper must not wait for rows that will not come.
                Volatile.Write(ref stopped, 1);
            }
        }
    }

    /// <summary>Share 1, on the helper, or on the calling thread after share 0 when the helper never came.</summary>
    private void Unfilter()
    {
        Volatile.Write(ref helperArrived, 1);
        if (!PngPlanes.IdatChecksumsHold(bytes, file))
        {
            Stop();
            return;
        }

        var spinner = default(SpinWait);
        while (!TryTakeChain())
        {
            // The caller is unfiltering one read's rows: tens of microseconds.
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        while (done < file.Height)
        {
            if (Volatile.Read(ref inflated) == done)
            {
                if (Volatile.Read(ref stopped) != 0)
                {
                    return;
                }

                // Rows come every few tens of microseconds: spin and yield, never sleep a tick.
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            if (!TakeRows())
            {
                return;
            }
        }
    }

    private bool TryTakeChain() => Interlocked.CompareExchange(ref chain, 1, 0) == 0;

    /// <summary>Unfilters and spreads every inflated row not yet done; false (and stops both sides) on an unknown filter type.</summary>
    private bool TakeRows()
    {
        var ready = Volatile.Read(ref inflated);
        if (ready > done)
        {
            if (!PngPlanes.TakeRows(rows, done + 1, ready - done, file, target, done, ref translucent))
            {
                Stop();
                return false;
            }

            done = ready;
        }

        return true;
    }

    private void Stop()
    {
        irregular = true;
        Volatile.Write(ref stopped, 1);
    }
}
