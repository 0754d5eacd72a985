using ConvService.Inference.Engine.Planning;
using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Operators.Indexing;

/// <summary>
/// GatherElements and ScatterElements address the data the same way: the indices have the data's rank, and index
/// element p names the data element at p with its coordinate along the axis replaced by the index's value.
/// </summary>
internal static class ElementOffsets
{
    /// <summary>For every index element, the offset into the data it names; negative indices count from the axis's end.</summary>
    public static int[] Along(int[] dataShape, int[] indexShape, long[] indices, int axis, string operatorName)
    {
        if (indexShape.Length != dataShape.Length)
        {
            throw new PlanningException($"the indices have rank {indexShape.Length} but the data has rank {dataShape.Length}; {operatorName} needs both the same");
        }

        for (var d = 0; d < dataShape.Length; d++)
        {
            if (d != axis && indexShape[d] > dataShape[d])
            {
                throw new PlanningException($"the indices' dimension {d} ({indexShape[d]}) is larger than the data's ({dataShape[d]})");
            }
        }

        var strides = StridedView.StridesOf(dataShape);
        var offsets = new int[indices.Length];
        var position = new int[indexShape.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = Wrap(indices[i], dataShape[axis], axis);
            var offset = 0;
            for (var d = 0; d < indexShape.Length; d++)
            {
                offset += (d == axis ? index : position[d]) * strides[d];
            }

            offsets[i] = offset;
            for (var d = indexShape.Length - 1; d >= 0 && ++position[d] == indexShape[d]; d--)
            {
                position[d] = 0;
            }
        }

        return offsets;
    }

    /// <summary>An index into an axis of <paramref name="size"/>, negative counting from the end; outside it is refused.</summary>
    public static int Wrap(long index, int size, int axis)
    {
        var resolved = index < 0 ? index + size : index;
        if (resolved < 0 || resolved >= size)
        {
            throw new PlanningException($"index {index} is outside axis {axis} of size {size}");
        }

        return (int)resolved;
    }
}
