using ConvService.Inference.Engine.Planning;
using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Operators.Indexing;

/// <summary>
/// GatherND and ScatterND address the data by index tuples: the indices' last dimension k says how many leading data
/// axes (after the batch axes) a tuple names, and each tuple stands for the slice of the data beyond them.
/// </summary>
internal static class TupleOffsets
{
    /// <summary>
    /// GatherND: the output shape, indices.shape[:-1] + data.shape[batchDims + k:], and for every output element the
    /// data element it copies. The first batchDims axes of data and indices must agree and pair up; an output past
    /// <paramref name="maxElements"/> is refused before its table is allocated.
    /// </summary>
    public static (int[] Shape, int[] Sources) Gather(int[] dataShape, int[] indexShape, long[] indices, int batchDims, long maxElements)
    {
        var q = indexShape.Length;
        var r = dataShape.Length;
        if (q < 1 || r < 1)
        {
            throw new PlanningException("GatherND needs data and indices of rank 1 or more");
        }

        if (batchDims < 0 || batchDims >= Math.Min(q, r))
        {
            throw new PlanningException($"batch_dims {batchDims} must be at least 0 and less than both ranks ({r} and {q})");
        }

        for (var d = 0; d < batchDims; d++)
        {
            if (indexShape[d] != dataShape[d])
            {
                throw new PlanningException($"batch axis {d} is {dataShape[d]} in the data but {indexShape[d]} in the indices");
            }
        }

        var k = indexShape[q - 1];
        if (k < 1 || k > r - batchDims)
        {
            throw new PlanningException($"index tuples of length {k} do not fit the data's {r - batchDims} axes after the batch axes");
        }

        int[] shape = [.. indexShape[..(q - 1)], .. dataShape[(batchDims + k)..]];
        if (TensorShape.Elements(shape) > maxElements)
        {
            throw new PlanningException($"the output [{string.Join(", ", shape)}] exceeds the limit of {maxElements} elements per tensor");
        }

        var batches = Product(dataShape, 0, batchDims);
        var tuplesPerBatch = Product(indexShape, batchDims, q - 1);
        var slice = Product(dataShape, batchDims + k, r);
        var batchStride = Product(dataShape, batchDims, r);
        var strides = StridedView.StridesOf(dataShape);
        var sources = new int[batches * tuplesPerBatch * slice];
        var next = 0;
        for (var n = 0; n < batches; n++)
        {
            for (var t = 0; t < tuplesPerBatch; t++)
            {
                var offset = (n * batchStride) + Offset(dataShape, strides, indices, ((n * tuplesPerBatch) + t) * k, k, batchDims);
                for (var s = 0; s < slice; s++)
                {
                    sources[next++] = offset + s;
                }
            }
        }

        return (shape, sources);
    }

    /// <summary>
    /// ScatterND: for every update element, the data element it lands on. The updates must have the shape
    /// indices.shape[:-1] + data.shape[k:].
    /// </summary>
    public static int[] Scatter(int[] dataShape, int[] indexShape, long[] indices, int[] updateShape)
    {
        var q = indexShape.Length;
        var r = dataShape.Length;
        if (q < 1 || r < 1)
        {
            throw new PlanningException("ScatterND needs data and indices of rank 1 or more");
        }

        var k = indexShape[q - 1];
        if (k < 1 || k > r)
        {
            throw new PlanningException($"index tuples of length {k} do not fit the data's {r} axes");
        }

        int[] expected = [.. indexShape[..(q - 1)], .. dataShape[k..]];
        if (!expected.AsSpan().SequenceEqual(updateShape))
        {
            throw new PlanningException($"the updates have shape [{string.Join(", ", updateShape)}] but indices and data call for [{string.Join(", ", expected)}]");
        }

        var tuples = Product(indexShape, 0, q - 1);
        var slice = Product(dataShape, k, r);
        var strides = StridedView.StridesOf(dataShape);
        var targets = new int[tuples * slice];
        for (var t = 0; t < tuples; t++)
        {
            var offset = Offset(dataShape, strides, indices, t * k, k, 0);
            for (var s = 0; s < slice; s++)
            {
                targets[(t * slice) + s] = offset + s;
            }
        }

        return targets;
    }

    /// <summary>The offset of one tuple's slice within its batch: each index wrapped and checked against its axis.</summary>
    private static int Offset(int[] dataShape, int[] strides, long[] indices, int start, int k, int firstAxis)
    {
        var offset = 0;
        for (var j = 0; j < k; j++)
        {
            var axis = firstAxis + j;
            offset += ElementOffsets.Wrap(indices[start + j], dataShape[axis], axis) * strides[axis];
        }

        return offset;
    }

    private static int Product(int[] shape, int from, int to)
    {
        var product = 1;
        for (var d = from; d < to; d++)
        {
            product *= shape[d];
        }

        return product;
    }
}
