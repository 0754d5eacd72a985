using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Operators.Resize;

/// <summary>
/// Resize over planes whose last two axes change (NCHW, or 1-D as height 1). Each output row blends the
/// horizontally resized copies of its source rows; those copies are kept while consecutive output rows share
/// them, so every input row is resized horizontally once and the vertical blend streams whole rows through
/// vectors. Nearest output rows are gathered straight from their source row, or copied from the output row above
/// when they repeat it; whole-factor nearest upsampling runs a plane per call. Planes are independent, so workers
/// take contiguous ranges of them, each with its own row cache.
/// </summary>
public sealed class ResizeKernel
{
    private readonly ResizeAxis height;
    private readonly ResizeAxis width;
    private readonly ResizeRowGather rows;
    private readonly bool widthIsIdentity;
    private readonly bool heightIsIdentity;
    private readonly bool widthHasOutside;
    private readonly bool heightHasOutside;

    public ResizeKernel(ResizeAxis height, ResizeAxis width)
    {
        this.height = height;
        this.width = width;
        rows = new ResizeRowGather(width);
        widthIsIdentity = width.IsIdentity;
        heightIsIdentity = height.IsIdentity;
        widthHasOutside = width.AnyOutside;
        heightHasOutside = height.AnyOutside;
    }

    public ResizeRowGather Rows => rows;

    /// <summary>Floats of scratch one worker needs: the cached horizontally resized rows.</summary>
    public int WorkerScratchFloats => heightIsIdentity || widthIsIdentity || height.Taps == 1 ? 0 : height.Taps * width.OutSize;

    /// <summary>Floats of scratch a call needs: a row cache for each worker it may use.</summary>
    public int ScratchFloats => WorkerScratchFloats * Math.Max(1, Environment.ProcessorCount);

    /// <summary>Floats written below which a second thread costs more than it saves (waking it is tens of microseconds).</summary>
    private const long ParallelOutputFloats = 1 << 16;

    public void Run(ReadOnlySpan<float> input, Span<float> output, int planes, Span<float> scratch, float extrapolationValue, SimdLevel level) =>
        Run(input, output, planes, scratch, extrapolationValue, level, degreeOfParallelism: 1);

    public void Run(ReadOnlySpan<float> input, Span<float> output, int planes, Span<float> scratch, float extrapolationValue, SimdLevel level, int degreeOfParallelism)
    {
        level = SimdCapabilities.Require(level);
        var workers = Math.Min(degreeOfParallelism, planes);
        if (WorkerScratchFloats > 0)
        {
            workers = Math.Min(workers, scratch.Length / WorkerScratchFloats);
        }

        if (workers <= 1 || (long)planes * height.OutSize * width.OutSize < ParallelOutputFloats)
        {
            RunPlanes(input, output, 0, planes, scratch, extrapolationValue, level);
            return;
        }

        unsafe
        {
            fixed (float* x = input, y = output, work = scratch)
            {
                KernelWorkers.Run(new PlaneJob(this, x, input.Length, y, output.Length, work, planes, workers, extrapolationValue, level), workers);
            }
        }
    }

    /// <summary>Planes [from, to) on this thread.</summary>
    private void RunPlanes(ReadOnlySpan<float> input, Span<float> output, int from, int to, Span<float> scratch, float extrapolationValue, SimdLevel level)
    {
        int inW = width.InSize, outW = width.OutSize, inPlane = height.InSize * inW, outPlane = height.OutSize * outW;
        var taps = height.Taps;
        Span<int> cachedRow = stackalloc int[taps];
        Span<int> slotOfTap = stackalloc int[taps];
        var replicate = taps == 1 && !heightIsIdentity && !widthHasOutside && !heightHasOutside && rows.ReplicatesAt(level);
        for (var p = from; p < to; p++)
        {
            var source = input.Slice(p * inPlane, inPlane);
            var destination = output.Slice(p * outPlane, outPlane);
            if (replicate)
            {
                rows.RunPlane(source, height.Indices, destination, level);
                continue;
            }

            cachedRow.Fill(-1);
            for (var y = 0; y < height.OutSize; y++)
            {
                var outRow = destination.Slice(y * outW, outW);
                if (height.Outside[y])
                {
                    outRow.Fill(extrapolationValue);
                    continue;
                }

                if (heightIsIdentity)
                {
                    rows.Run(source.Slice(y * inW, inW), outRow, level);
                }
                else if (widthIsIdentity)
                {
                    Blend(source, inW, y, outRow, level);
                }
                else if (taps == 1)
                {
                    // Nearest: a source row repeated from the row above is a copy of that output row. Gathering
                    // the row once and copying it beats storing each permuted vector to every repeated row from
                    // registers: two interleaved store streams ran at half the speed of a gather and a row copy.
                    if (y > 0 && height.Indices[y] == height.Indices[y - 1] && !height.Outside[y - 1])
                    {
                        destination.Slice((y - 1) * outW, outW).CopyTo(outRow);
                        continue;
                    }

                    rows.Run(source.Slice(height.Indices[y] * inW, inW), outRow, level);
                }
                else
                {
                    Fetch(source, scratch, y, cachedRow, slotOfTap, level);
                    BlendCached(scratch, slotOfTap, y, outRow, level);
                }

                if (widthHasOutside)
                {
                    for (var x = 0; x < outW; x++)
                    {
                        if (width.Outside[x])
                        {
                            outRow[x] = extrapolationValue;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Makes sure every source row of output row y is resized horizontally in some cache slot.</summary>
    private void Fetch(ReadOnlySpan<float> source, Span<float> cache, int y, Span<int> cachedRow, Span<int> slotOfTap, SimdLevel level)
    {
        int taps = height.Taps, inW = width.InSize, outW = width.OutSize;
        Span<bool> kept = stackalloc bool[taps];
        kept.Clear();
        slotOfTap.Fill(-1);
        for (var t = 0; t < taps; t++)
        {
            var index = cachedRow.IndexOf(height.Indices[(y * taps) + t]);
            if (index >= 0)
            {
                slotOfTap[t] = index;
                kept[index] = true;
            }
        }

        for (var t = 0; t < taps; t++)
        {
            if (slotOfTap[t] >= 0)
            {
                continue;
            }

            var row = height.Indices[(y * taps) + t];
            var repeated = -1;
            for (var u = 0; u < t; u++)
            {
                if (height.Indices[(y * taps) + u] == row)
                {
                    repeated = slotOfTap[u];
                }
            }

            if (repeated >= 0)
            {
                slotOfTap[t] = repeated;
                continue;
            }

            var slot = kept.IndexOf(false);
            kept[slot] = true;
            cachedRow[slot] = row;
            slotOfTap[t] = slot;
            rows.Run(source.Slice(row * inW, inW), cache.Slice(slot * outW, outW), level);
        }
    }

    private void BlendCached(ReadOnlySpan<float> cache, ReadOnlySpan<int> slotOfTap, int y, Span<float> outRow, SimdLevel level)
    {
        var outW = width.OutSize;
        var taps = height.Taps;
        if (taps == 1)
        {
            cache.Slice(slotOfTap[0] * outW, outW).CopyTo(outRow);
            return;
        }

        RowBlend.Run(cache, outW, slotOfTap, height.Weights.AsSpan(y * taps, taps), outRow, level);
    }

    private void Blend(ReadOnlySpan<float> source, int inW, int y, Span<float> outRow, SimdLevel level)
    {
        var taps = height.Taps;
        if (taps == 1)
        {
            source.Slice(height.Indices[y] * inW, inW).CopyTo(outRow);
            return;
        }

        RowBlend.Run(source, inW, height.Indices.AsSpan(y * taps, taps), height.Weights.AsSpan(y * taps, taps), outRow, level);
    }

    /// <summary>Contiguous ranges of planes, one per worker, each with its own row cache.</summary>
    private sealed unsafe class PlaneJob(
        ResizeKernel kernel, float* input, int inputLength, float* output, int outputLength, float* scratch, int planes, int workers, float extrapolationValue, SimdLevel level)
        : IParallelWork
    {
        public void Run(int worker)
        {
            var cache = new Span<float>(scratch + ((long)worker * kernel.WorkerScratchFloats), kernel.WorkerScratchFloats);
            kernel.RunPlanes(
                new ReadOnlySpan<float>(input, inputLength),
                new Span<float>(output, outputLength),
                planes * worker / workers,
                planes * (worker + 1) / workers,
                cache,
                extrapolationValue,
                level);
        }
    }
}
