namespace ConvService.Inference.Operators.Elementwise;

/// <summary>
/// A binary operator over two shapes with numpy broadcasting, prepared once: dimensions are coalesced so the
/// innermost loop is one long contiguous row (or a row against a single value, e.g. a per-channel bias).
/// </summary>
public sealed class BroadcastBinary
{
    private const int MaxRank = 8;
    private readonly int[] outerSizes;
    private readonly int[] outerStridesA;
    private readonly int[] outerStridesB;
    private readonly int innerLength;
    private readonly bool innerAIsScalar;
    private readonly bool innerBIsScalar;

    private BroadcastBinary(int[] outputShape, int[] outerSizes, int[] outerStridesA, int[] outerStridesB, int innerLength, bool innerAIsScalar, bool innerBIsScalar)
    {
        OutputShape = outputShape;
        this.outerSizes = outerSizes;
        this.outerStridesA = outerStridesA;
        this.outerStridesB = outerStridesB;
        this.innerLength = innerLength;
        this.innerAIsScalar = innerAIsScalar;
        this.innerBIsScalar = innerBIsScalar;
    }

    public int[] OutputShape { get; }

    /// <summary>The numpy broadcast of two shapes, or null when they are incompatible.</summary>
    public static int[]? BroadcastShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                return null;
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    public static BroadcastBinary? Create(int[] aShape, int[] bShape)
    {
        var output = BroadcastShape(aShape, bShape);
        if (output is null || output.Length > MaxRank)
        {
            return null;
        }

        var rank = output.Length;
        var sizes = new List<int>();
        var aBroadcast = new List<bool>();
        var bBroadcast = new List<bool>();
        for (var i = 0; i < rank; i++)
        {
            if (output[i] == 1)
            {
                continue;
            }

            var da = i < rank - aShape.Length ? 1 : aShape[i - (rank - aShape.Length)];
            var db = i < rank - bShape.Length ? 1 : bShape[i - (rank - bShape.Length)];
            var ab = da == 1;
            var bb = db == 1;
            if (sizes.Count > 0 && aBroadcast[^1] == ab && bBroadcast[^1] == bb)
            {
                sizes[^1] *= output[i];
            }
            else
            {
                sizes.Add(output[i]);
                aBroadcast.Add(ab);
                bBroadcast.Add(bb);
            }
        }

        if (sizes.Count == 0)
        {
            sizes.Add(1);
            aBroadcast.Add(false);
            bBroadcast.Add(false);
        }

        var count = sizes.Count;
        var stridesA = Strides(sizes, aBroadcast);
        var stridesB = Strides(sizes, bBroadcast);
        return new BroadcastBinary(
            output,
            sizes.Take(count - 1).ToArray(),
            stridesA.Take(count - 1).ToArray(),
            stridesB.Take(count - 1).ToArray(),
            sizes[^1],
            aBroadcast[^1],
            bBroadcast[^1]);
    }

    public void Execute(BinaryKind kind, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, SimdLevel level)
    {
        Span<int> index = stackalloc int[MaxRank];
        index.Clear();
        var rows = 1;
        foreach (var s in outerSizes)
        {
            rows *= s;
        }

        int offsetA = 0, offsetB = 0;
        for (var row = 0; row < rows; row++)
        {
            var rowA = innerAIsScalar ? a.Slice(offsetA, 1) : a.Slice(offsetA, innerLength);
            var rowB = innerBIsScalar ? b.Slice(offsetB, 1) : b.Slice(offsetB, innerLength);
            BinaryRowKernel.Run(kind, rowA, innerAIsScalar, rowB, innerBIsScalar, destination.Slice(row * innerLength, innerLength), level);

            // Odometer over the outer dimensions, tracking each input's offset incrementally.
            for (var d = outerSizes.Length - 1; d >= 0; d--)
            {
                index[d]++;
                offsetA += outerStridesA[d];
                offsetB += outerStridesB[d];
                if (index[d] < outerSizes[d])
                {
                    break;
                }

                offsetA -= outerStridesA[d] * outerSizes[d];
                offsetB -= outerStridesB[d] * outerSizes[d];
                index[d] = 0;
            }
        }
    }

    private static int[] Strides(List<int> sizes, List<bool> broadcast)
    {
        var strides = new int[sizes.Count];
        var stride = 1;
        for (var i = sizes.Count - 1; i >= 0; i--)
        {
            strides[i] = broadcast[i] ? 0 : stride;
            if (!broadcast[i])
            {
                stride *= sizes[i];
            }
        }

        return strides;
    }
}
