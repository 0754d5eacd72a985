namespace ConvService.Inference.Operators.Tensors;

/// <summary>
/// A read of the input through per-axis strides from a start offset, written out contiguously: Slice (strides
/// times steps), Expand (stride 0), Tile (each axis split into [repeat, size] with the repeat at stride 0),
/// DepthToSpace and SpaceToDepth (a 6-D transpose). Axes that continue each other are merged at construction, so
/// the inner loop is usually one contiguous copy or fill.
/// </summary>
public sealed class StridedView
{
    private readonly int[] sizes;
    private readonly int[] strides;
    private readonly int offset;

    public StridedView(ReadOnlySpan<int> outputShape, ReadOnlySpan<int> inputStrides, int offset)
    {
        var mergedSizes = new List<int>();
        var mergedStrides = new List<int>();
        for (var d = 0; d < outputShape.Length; d++)
        {
            if (outputShape[d] == 1)
            {
                continue;
            }

            // Axis d continues the one before when stepping the previous axis once equals walking all of d.
            if (mergedSizes.Count > 0 && mergedStrides[^1] == inputStrides[d] * outputShape[d])
            {
                mergedSizes[^1] *= outputShape[d];
                mergedStrides[^1] = inputStrides[d];
                continue;
            }

            mergedSizes.Add(outputShape[d]);
            mergedStrides.Add(inputStrides[d]);
        }

        if (mergedSizes.Count == 0 || outputShape.Contains(0))
        {
            mergedSizes = [outputShape.Contains(0) ? 0 : 1];
            mergedStrides = [1];
        }

        sizes = [.. mergedSizes];
        strides = [.. mergedStrides];
        this.offset = offset;
    }

    /// <summary>Axes left after merging (1 means a single contiguous copy, fill or strided run).</summary>
    public int Rank => sizes.Length;

    /// <summary>Row-major strides of a shape.</summary>
    public static int[] StridesOf(ReadOnlySpan<int> shape)
    {
        var result = new int[shape.Length];
        var stride = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            result[d] = stride;
            stride *= shape[d];
        }

        return result;
    }

    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        var inner = sizes[^1];
        var innerStride = strides[^1];
        if (inner == 0)
        {
            return;
        }

        var outer = sizes.Length - 1;
        Span<int> index = stackalloc int[Math.Max(1, outer)];
        index.Clear();
        var source = offset;
        for (var start = 0; start < output.Length; start += inner)
        {
            var row = output.Slice(start, inner);
            if (innerStride == 1)
            {
                input.Slice(source, inner).CopyTo(row);
            }
            else if (innerStride == 0)
            {
                row.Fill(input[source]);
            }
            else
            {
                for (var i = 0; i < inner; i++)
                {
                    row[i] = input[source + (i * innerStride)];
                }
            }

            for (var d = outer - 1; d >= 0; d--)
            {
                source += strides[d];
                if (++index[d] < sizes[d])
                {
                    break;
                }

                source -= strides[d] * sizes[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>The same read element by element, with no merging: the oracle for <see cref="Run"/>.</summary>
    public static void Reference(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<int> outputShape, ReadOnlySpan<int> inputStrides, int offset)
    {
        for (var i = 0; i < output.Length; i++)
        {
            var remainder = i;
            var source = offset;
            for (var d = outputShape.Length - 1; d >= 0; d--)
            {
                source += remainder % outputShape[d] * inputStrides[d];
                remainder /= outputShape[d];
            }

            output[i] = input[source];
        }
    }
}
