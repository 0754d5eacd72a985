using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Operators.VolumeConv;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Operators.ConvTranspose;

/// <summary>
/// ConvTranspose as GEMM then col2im, a block of output channels at a time: the block's weights (transposed once
/// here to [out channels x taps, in channels]) times the input planes give one column per input position, which
/// <see cref="ColumnScatter"/> adds into the block's output planes, initialised with the bias. A block's columns
/// are sized to stay in the core's cache between the GEMM that writes them and the scatter that reads them; the
/// whole column matrix of a decoder layer is several megabytes and would otherwise go to memory and back. Blocks
/// own disjoint output planes, so workers take whole blocks.
/// </summary>
public sealed class ConvTransposeKernel
{
    /// <summary>Column floats per block (512 KB): a fraction of a core's L2 beside the GEMM's packed panels.</summary>
    private const int BlockColumnFloats = 1 << 17;

    /// <summary>Fewest GEMM rows per block, so the micro-kernel's row tiles are not mostly edges.</summary>
    private const int MinimumBlockRows = 128;

    private readonly VolumeConvGeometry geometry;
    private readonly float[] weightRows;
    private readonly float[] bias;
    private readonly int blockChannels;
    private readonly int blocksPerGroup;

    /// <summary>Weights are ONNX's [in channels, out channels per group, kernel...].</summary>
    public ConvTransposeKernel(VolumeConvGeometry geometry, ReadOnlySpan<float> weights, float[] bias)
        : this(geometry, weights, bias, blockChannels: null)
    {
    }

    /// <summary>As above with the block size forced (tests use it to cover several blocks on small tensors).</summary>
    internal ConvTransposeKernel(VolumeConvGeometry geometry, ReadOnlySpan<float> weights, float[] bias, int? blockChannels)
    {
        this.geometry = geometry;
        this.bias = bias;
        int rows = geometry.Transposed().ColumnRows, inPerGroup = geometry.InChannelsPerGroup;
        weightRows = new float[geometry.Groups * rows * inPerGroup];
        for (var group = 0; group < geometry.Groups; group++)
        {
            for (var ic = 0; ic < inPerGroup; ic++)
            {
                for (var r = 0; r < rows; r++)
                {
                    weightRows[(((group * rows) + r) * inPerGroup) + ic] = weights[(((group * inPerGroup) + ic) * rows) + r];
                }
            }
        }

        var taps = geometry.KernelElements;
        var channelFloats = (long)taps * geometry.InPlane;
        var byCache = (int)Math.Max(1, BlockColumnFloats / Math.Max(1, channelFloats));
        var byRows = (MinimumBlockRows + taps - 1) / taps;
        this.blockChannels = Math.Clamp(blockChannels ?? Math.Max(byCache, byRows), 1, Math.Max(1, geometry.OutChannelsPerGroup));
        blocksPerGroup = (geometry.OutChannelsPerGroup + this.blockChannels - 1) / this.blockChannels;
    }

    public VolumeConvGeometry Geometry => geometry;

    /// <summary>Output channels one block computes (its GEMM has this many times the kernel taps rows).</summary>
    public int BlockChannels => blockChannels;

    /// <summary>Floats of scratch one worker needs: one block's column matrix.</summary>
    public int BlockScratchFloats => blockChannels * geometry.KernelElements * geometry.InPlane;

    /// <summary>Floats of scratch a call needs: a block's columns for each worker it may use.</summary>
    public int ScratchFloats => BlockScratchFloats * Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, blocksPerGroup * geometry.Groups));

    public void Run(ReadOnlySpan<float> input, Span<float> output, int batch, Span<float> scratch, int degreeOfParallelism, SimdLevel level)
    {
        var blocks = blocksPerGroup * geometry.Groups;
        var workers = Math.Clamp(Math.Min(degreeOfParallelism, blocks), 1, Math.Max(1, scratch.Length / Math.Max(1, BlockScratchFloats)));
        if (workers == 1)
        {
            var columns = scratch[..BlockScratchFloats];
            for (var n = 0; n < batch; n++)
            {
                for (var block = 0; block < blocks; block++)
                {
                    RunBlock(input, output, n, block, columns, degreeOfParallelism, level);
                }
            }

            return;
        }

        unsafe
        {
            fixed (float* x = input, y = output, work = scratch)
            {
                KernelWorkers.Run(new BlockJob(this, x, input.Length, y, output.Length, work, batch, blocks, workers, level), workers);
            }
        }
    }

    /// <summary>One block of output channels of image n: bias, GEMM into the columns, scatter into the planes.</summary>
    private void RunBlock(ReadOnlySpan<float> input, Span<float> output, int n, int block, Span<float> columns, int gemmThreads, SimdLevel level)
    {
        var g = geometry;
        int inPerGroup = g.InChannelsPerGroup, outPerGroup = g.OutChannelsPerGroup, inPlane = g.InPlane, outPlane = g.OutPlane, taps = g.KernelElements;
        var group = block / blocksPerGroup;
        var first = block % blocksPerGroup * blockChannels;
        var channels = Math.Min(blockChannels, outPerGroup - first);
        var rows = channels * taps;
        var firstChannel = (group * outPerGroup) + first;
        var planes = output.Slice(((n * g.OutChannels) + firstChannel) * outPlane, channels * outPlane);
        for (var c = 0; c < channels; c++)
        {
            planes.Slice(c * outPlane, outPlane).Fill(bias.Length == 0 ? 0f : bias[firstChannel + c]);
        }

        var x = input.Slice(((n * g.InChannels) + (group * inPerGroup)) * inPlane, inPerGroup * inPlane);
        var blockColumns = columns[..(rows * inPlane)];
        Sgemm.Multiply(
            false, false, rows, inPlane, inPerGroup, 1f,
            weightRows.AsSpan((((group * outPerGroup) + first) * taps) * inPerGroup, rows * inPerGroup), inPerGroup,
            x, inPlane,
            0f, blockColumns, inPlane, gemmThreads, level);
        ColumnScatter.Run(g, blockColumns, planes, channels, level);
    }

    /// <summary>Blocks dealt round-robin to workers, each with its own column scratch and a one-thread GEMM.</summary>
    private sealed unsafe class BlockJob(
        ConvTransposeKernel kernel, float* input, int inputLength, float* output, int outputLength, float* scratch, int batch, int blocks, int workers, SimdLevel level)
        : IParallelWork
    {
        public void Run(int worker)
        {
            var x = new ReadOnlySpan<float>(input, inputLength);
            var y = new Span<float>(output, outputLength);
            var columns = new Span<float>(scratch + ((long)worker * kernel.BlockScratchFloats), kernel.BlockScratchFloats);
            for (var item = worker; item < batch * blocks; item += workers)
            {
                kernel.RunBlock(x, y, item / blocks, item % blocks, columns, 1, level);
            }
        }
    }
}
