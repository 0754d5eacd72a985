using System.Buffers;

namespace ConvService.Api.Images.Png;

/// <summary>
/// Decodes a PNG on two cores: the calling thread inflates the rows into one buffer for the whole image while a
/// thread-pool helper checks the IDAT chunks' CRCs, unfilters the rows as they come out and hands them to the
/// target (planes, or a model's resampler). Inflating is the longer half (about 1.3 ms of a 451x300 photo's 2.3),
/// so once the helper runs it keeps up. The caller never waits for the helper to arrive or to be scheduled again:
/// rows depend on the row above, so one thread at a time unfilters them (whoever holds the chain, a few dozen
/// rows at a time), the caller whenever the helper has not come yet, and the caller finishes whatever is left
/// once it has inflated the last row, then closes the chain, after which a late helper touches nothing and
/// leaves. Waking a thread takes from a fraction of a millisecond to several on a virtual machine, and a busy
/// host can pause either core at any time, so a slow helper costs little. The results are bit for bit those of
/// the one-thread path: the same row code runs on the same rows in order.
/// </summary>
internal sealed class PngRowPipeline
{
    /// <summary>Inflated bytes below which handing rows to a helper costs more than it saves (a 128x128 RGB image is 49 KB).</summary>
    public const long WorthItBytes = 64 * 1024;

    /// <summary>Bytes inflated per call: whole rows, so rows are handed over often.</summary>
    private const int ReadBytes = 16 * 1024;

    /// <summary>Most rows the helper unfilters per hold of the chain, so the caller never waits long for it.</summary>
    private const int RowsPerHold = 32;

    private readonly ArraySegment<byte> bytes;
    private readonly PngPlanes.PngLayout file;
    private readonly RowTarget target;
    private readonly byte[] rows;

    /// <summary>Image rows inflated so far, published after their bytes (no one unfilters further).</summary>
    private int inflated;

    /// <summary>1 while a thread holds the chain: only its holder reads the upload or the rows, or writes the target.</summary>
    private int chain;

    /// <summary>1 once the caller has taken the chain for good; a helper that sees it leaves.</summary>
    private int closed;

    /// <summary>1 once the helper has started: from then on the caller leaves the unfiltering to it until the end.</summary>
    private int helperArrived;

    /// <summary>Set by either side to stop the other: an irregular file.</summary>
    private int stopped;

    // Changed only by the chain's holder.
    private int done;
    private bool checksumsChecked;
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
    public static bool? Decode(ArraySegment<byte> bytes, PngPlanes.PngLayout file, RowTarget target, CancellationToken cancellationToken)
    {
        // Row 0 is the zeros above the image; image row y is buffer row y + 1.
        var rows = ArrayPool<byte>.Shared.Rent((file.Height + 1) * file.Stride);
        var pipeline = new PngRowPipeline(bytes, file, target, rows);
        try
        {
            rows.AsSpan(0, file.Stride).Clear();
            ThreadPool.UnsafeQueueUserWorkItem(static p => p.Help(), pipeline, preferLocal: false);
            pipeline.Inflate(cancellationToken);
            pipeline.Close();
            pipeline.Finish();
            return pipeline.irregular ? null : pipeline.translucent;
        }
        finally
        {
            // Closed (also when inflating threw): the helper reads nothing more of the buffer, the upload or the target.
            pipeline.Close();
            ArrayPool<byte>.Shared.Return(rows);
        }
    }

    private void Inflate(CancellationToken cancellationToken)
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
                TakeRows(int.MaxValue);
                Volatile.Write(ref chain, 0);
            }
        }

        // The image's bytes are all read; anything more before the stream's end (and its checksum) is irregular.
        if (!PngPlanes.AtEnd(inflater))
        {
            Stop();
        }
    }

    /// <summary>Takes the chain for good (waiting for at most one of the helper's holds) so a late helper does nothing.</summary>
    private void Close()
    {
        if (Volatile.Read(ref closed) != 0)
        {
            return;
        }

        var spinner = default(SpinWait);
        while (!TryTakeChain())
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        Volatile.Write(ref closed, 1);
    }

    /// <summary>On the caller, holding the closed chain: whatever the helper left, the checksums included.</summary>
    private void Finish()
    {
        CheckChecksums();
        if (Volatile.Read(ref stopped) == 0 && Volatile.Read(ref inflated) == file.Height)
        {
            TakeRows(int.MaxValue);
        }

        if (done != file.Height)
        {
            irregular = true;
        }
    }

    /// <summary>The helper, on a pool thread: a few dozen rows per hold of the chain while there are rows to take.</summary>
    private void Help()
    {
        Volatile.Write(ref helperArrived, 1);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref closed) == 0 && Volatile.Read(ref stopped) == 0)
        {
            if (Volatile.Read(ref inflated) == Volatile.Read(ref done) || !TryTakeChain())
            {
                // No rows out yet, or the caller is unfiltering some: rows come every few tens of microseconds, so
                // spin and yield, never sleep a tick.
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            var finished = true;
            if (Volatile.Read(ref closed) == 0)
            {
                CheckChecksums();
                finished = !TakeRows(RowsPerHold) || done == file.Height;
            }

            Volatile.Write(ref chain, 0);
            if (finished)
            {
                return;
            }
        }
    }

    private bool TryTakeChain() => Interlocked.CompareExchange(ref chain, 1, 0) == 0;

    /// <summary>Under the chain: the IDAT CRCs, once (the upload is read only by the chain's holder).</summary>
    private void CheckChecksums()
    {
        if (!checksumsChecked)
        {
            checksumsChecked = true;
            if (!PngPlanes.IdatChecksumsHold(bytes, file))
            {
                Stop();
            }
        }
    }

    /// <summary>
    /// Under the chain: unfilters and hands over up to <paramref name="most"/> of the inflated rows not yet done;
    /// false (and both sides stop) on an unknown filter type.
    /// </summary>
    private bool TakeRows(int most)
    {
        var ready = Math.Min(Volatile.Read(ref inflated), done + Math.Min(most, file.Height));
        if (ready > done && Volatile.Read(ref stopped) == 0)
        {
            if (!PngPlanes.TakeRows(rows, done + 1, ready - done, file, target, done, ref translucent))
            {
                Stop();
                return false;
            }

            Volatile.Write(ref done, ready);
        }

        return Volatile.Read(ref stopped) == 0;
    }

    private void Stop()
    {
        irregular = true;
        Volatile.Write(ref stopped, 1);
    }
}
