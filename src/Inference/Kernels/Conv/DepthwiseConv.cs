using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvService.Inference.Kernels.Gemm;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// Depthwise convolution (one input channel per group, any channel multiplier): each worker pads one channel into
/// its own phase layout (hot in L1), then every output row is a few vector FMAs per tap along the row. The last
/// vector of a row overlaps the previous one instead of reading past it.
/// </summary>
internal sealed unsafe class DepthwiseConv : IConvKernel, IShareKernel
{
    private readonly ConvGeometry g;
    private readonly SimdLevel level;
    private readonly FusedActivation activation;
    private readonly PhaseLayout layout;
    private readonly float[] weights;
    private readonly float[] bias;
    private readonly int[] taps;
    private readonly int workers;
    private ShareJob? spareJob;

    public DepthwiseConv(in ConvGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, FusedActivation activation, int workers, SimdLevel level)
    {
        g = geometry;
        this.level = level;
        this.activation = activation;
        this.workers = workers;
        this.weights = weights.ToArray();
        this.bias = new float[g.OutChannels];
        bias.CopyTo(this.bias);
        layout = new PhaseLayout(g, 1, level);
        taps = new int[g.KernelHeight * g.KernelWidth];
        for (var ky = 0; ky < g.KernelHeight; ky++)
        {
            for (var kx = 0; kx < g.KernelWidth; kx++)
            {
                taps[ky * g.KernelWidth + kx] = layout.TapOffset(ky, kx);
            }
        }
    }

    public ConvAlgorithm Algorithm => ConvAlgorithm.Depthwise;

    public long ScratchFloats(int batch) => workers * layout.Floats;

    public bool FusesResidual => false;

    public void Execute(float* input, float* residual, float* output, float* scratch, int batch)
    {
        if (residual != null)
        {
            throw new ArgumentException("This kernel stores the bare convolution; its plan adds the residual.", nameof(residual));
        }

        ShareJob.Execute(ref spareJob, this, input, output, scratch, batch, workers, fill: false);
    }

    /// <summary>Never called: each share reads its channels straight from the input.</summary>
    void IShareKernel.FillShare(int worker, float* input, float* scratch, int batch) =>
        throw new NotSupportedException("Depthwise convolution has no fill phase.");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ComputeShare(int worker, float* input, float* output, float* scratch, int batch)
    {
        var channel = scratch + worker * layout.Floats;
        var total = batch * g.InChannels;
        int begin = total * worker / workers, end = total * (worker + 1) / workers;
        int multiplier = g.OutChannelsPerGroup, outPlane = g.OutHeight * g.OutWidth;
        fixed (float* w = weights)
        fixed (int* t = taps)
        {
            for (var item = begin; item < end; item++)
            {
                int n = item / g.InChannels, c = item % g.InChannels;
                layout.Fill(input + (long)n * g.InputSize, channel, c, c + 1, c);
                for (var j = 0; j < multiplier; j++)
                {
                    var oc = c * multiplier + j;
                    var dest = output + (long)n * g.OutputSize + (long)oc * outPlane;
                    for (var y = 0; y < g.OutHeight; y++)
                    {
                        var row = dest + y * g.OutWidth;
                        ComputeRow(channel + y * layout.PhaseWidth, row, w + oc * taps.Length, t, bias[oc]);
                        ActivationKernels.Apply(new Span<float>(row, g.OutWidth), activation, level);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeRow(float* source, float* row, float* w, int* t, float b)
    {
        int width = g.OutWidth, tapCount = taps.Length;
        if (level == SimdLevel.Vector512 && width >= Vector512<float>.Count)
        {
            RowPath<Vector512<float>, Width512>(source, row, w, t, b, width, tapCount);
        }
        else if (level >= SimdLevel.Vector256 && width >= Vector256<float>.Count)
        {
            RowPath<Vector256<float>, Width256>(source, row, w, t, b, width, tapCount);
        }
        else if (level >= SimdLevel.Vector128 && width >= Vector128<float>.Count)
        {
            RowPath<Vector128<float>, Width128>(source, row, w, t, b, width, tapCount);
        }
        else
        {
            for (var x = 0; x < width; x++)
            {
                var acc = b;
                for (var k = 0; k < tapCount; k++)
                {
                    acc = MathF.FusedMultiplyAdd(w[k], source[t[k] + x], acc);
                }

                row[x] = acc;
            }
        }
    }

    /// <summary>A row of at least one vector; the last block overlaps the one before (it is written, not accumulated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowPath<TVector, TWidth>(float* source, float* row, float* w, int* t, float b, int width, int tapCount)
        where TVector : struct
        where TWidth : IWidth<TVector>
    {
        for (var x = 0; ; x += TWidth.Count)
        {
            x = Math.Min(x, width - TWidth.Count);
            var acc = TWidth.Create(b);
            for (var k = 0; k < tapCount; k++)
            {
                acc = TWidth.FusedMultiplyAdd(TWidth.Create(w[k]), TWidth.Load(ref source[t[k] + x], 0), acc);
            }

            TWidth.Store(acc, ref row[x], 0);
            if (x + TWidth.Count >= width)
            {
                return;
            }
        }
    }
}
