using ConvService.Inference.Operators.VolumeConv;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvService.Inference.Operators.ConvTranspose;

/// <summary>
/// col2im: adds a column matrix (one row per output channel and kernel tap, one column per input position) into
/// the output planes at each tap's offset. Runs of output columns at stride 1 are vector adds; at stride 2 (the
/// usual upsampling decoder) each vector of sources is spread over every other lane of two output vectors.
/// </summary>
public static class ColumnScatter
{
    /// <summary>Adds one group's columns into its <see cref="VolumeConvGeometry.OutChannelsPerGroup"/> output planes.</summary>
    public static void Run(VolumeConvGeometry g, ReadOnlySpan<float> columns, Span<float> output, SimdLevel level) =>
        Run(g, columns, output, g.OutChannelsPerGroup, level);

    /// <summary>Adds the columns of <paramref name="channels"/> consecutive output channels into their planes.</summary>
    public static void Run(VolumeConvGeometry g, ReadOnlySpan<float> columns, Span<float> output, int channels, SimdLevel level)
    {
        level = SimdCapabilities.Require(level);
        int inPlane = g.InPlane, outPlane = g.OutPlane;
        int inW = g.InSize[2], outW = g.OutSize[2];
        int strideW = g.Strides[2], dilationW = g.Dilations[2], padW = g.PadsBegin[2];
        for (var oc = 0; oc < channels; oc++)
        {
            var plane = output.Slice(oc * outPlane, outPlane);
            for (var kz = 0; kz < g.Kernel[0]; kz++)
            for (var ky = 0; ky < g.Kernel[1]; ky++)
            for (var kx = 0; kx < g.Kernel[2]; kx++)
            {
                var row = (((((oc * g.Kernel[0]) + kz) * g.Kernel[1]) + ky) * g.Kernel[2]) + kx;
                var column = columns.Slice(row * inPlane, inPlane);

                // Input columns whose output column lands inside the plane: 0 <= ix * stride - pad + kx * dilation < outW.
                var shift = (kx * dilationW) - padW;
                var ixFirst = shift >= 0 ? 0 : (-shift + strideW - 1) / strideW;
                var ixEnd = Math.Min(inW, outW - shift <= 0 ? 0 : ((outW - shift - 1) / strideW) + 1);
                if (ixEnd <= ixFirst)
                {
                    continue;
                }

                for (var iz = 0; iz < g.InSize[0]; iz++)
                {
                    var oz = (iz * g.Strides[0]) - g.PadsBegin[0] + (kz * g.Dilations[0]);
                    if ((uint)oz >= (uint)g.OutSize[0])
                    {
                        continue;
                    }

                    for (var iy = 0; iy < g.InSize[1]; iy++)
                    {
                        var oy = (iy * g.Strides[1]) - g.PadsBegin[1] + (ky * g.Dilations[1]);
                        if ((uint)oy >= (uint)g.OutSize[1])
                        {
                            continue;
                        }

                        var source = column.Slice((((iz * g.InSize[1]) + iy) * inW) + ixFirst, ixEnd - ixFirst);
                        var destination = plane.Slice((((oz * g.OutSize[1]) + oy) * outW) + (ixFirst * strideW) + shift);
                        if (strideW == 1)
                        {
                            AddTo(source, destination[..source.Length], level);
                        }
                        else if (strideW == 2)
                        {
                            AddToEveryOther(source, destination[..((2 * source.Length) - 1)], level);
                        }
                        else
                        {
                            for (var i = 0; i < source.Length; i++)
                            {
                                destination[i * strideW] += source[i];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>destination += source, widest vectors first, then a scalar tail (the adds accumulate, so blocks may not overlap).</summary>
    public static void AddTo(ReadOnlySpan<float> source, Span<float> destination, SimdLevel level)
    {
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var length = Math.Min(source.Length, destination.Length);
        var i = 0;
        if (level == SimdLevel.Vector512)
        {
            for (; i + Vector512<float>.Count <= length; i += Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref d, (nuint)i) + Vector512.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }

        if (level >= SimdLevel.Vector256)
        {
            for (; i + Vector256<float>.Count <= length; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref d, (nuint)i) + Vector256.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }

        if (level >= SimdLevel.Vector128)
        {
            for (; i + Vector128<float>.Count <= length; i += Vector128<float>.Count)
            {
                (Vector128.LoadUnsafe(ref d, (nuint)i) + Vector128.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            destination[i] += source[i];
        }
    }

    /// <summary>
    /// destination[2 i] += source[i]; destination holds 2 * source.Length - 1 floats. The odd lanes between are
    /// written back unchanged (a select, not an added zero, so -0 and NaN there stay as they were).
    /// </summary>
    public static void AddToEveryOther(ReadOnlySpan<float> source, Span<float> destination, SimdLevel level)
    {
        if (destination.Length < (2 * source.Length) - 1)
        {
            throw new ArgumentException("Destination is shorter than twice the source less one.", nameof(destination));
        }

        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (level == SimdLevel.Vector512 && Avx512F.IsSupported)
        {
            var low = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
            var high = low + Vector512.Create(8);
            var even = Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0).AsSingle();

            // Two whole output vectors per step: 2 i + 32 floats must lie inside the destination.
            for (; (2 * i) + 32 <= destination.Length; i += 16)
            {
                var x = Vector512.LoadUnsafe(ref s, (nuint)i);
                var d0 = Vector512.LoadUnsafe(ref d, (nuint)(2 * i));
                var d1 = Vector512.LoadUnsafe(ref d, (nuint)((2 * i) + 16));
                Vector512.ConditionalSelect(even, d0 + Avx512F.PermuteVar16x32(x, low), d0).StoreUnsafe(ref d, (nuint)(2 * i));
                Vector512.ConditionalSelect(even, d1 + Avx512F.PermuteVar16x32(x, high), d1).StoreUnsafe(ref d, (nuint)((2 * i) + 16));
            }
        }

        if (level != SimdLevel.Scalar && Avx2.IsSupported)
        {
            var low = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
            var high = low + Vector256.Create(4);
            var even = Vector256.Create(-1, 0, -1, 0, -1, 0, -1, 0).AsSingle();
            for (; (2 * i) + 16 <= destination.Length; i += 8)
            {
                var x = Vector256.LoadUnsafe(ref s, (nuint)i);
                var d0 = Vector256.LoadUnsafe(ref d, (nuint)(2 * i));
                var d1 = Vector256.LoadUnsafe(ref d, (nuint)((2 * i) + 8));
                Vector256.ConditionalSelect(even, d0 + Avx2.PermuteVar8x32(x, low), d0).StoreUnsafe(ref d, (nuint)(2 * i));
                Vector256.ConditionalSelect(even, d1 + Avx2.PermuteVar8x32(x, high), d1).StoreUnsafe(ref d, (nuint)((2 * i) + 8));
            }
        }

        for (; i < source.Length; i++)
        {
            destination[2 * i] += source[i];
        }
    }
}
