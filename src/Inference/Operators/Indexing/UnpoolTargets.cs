using ConvService.Inference.Engine.Planning;

namespace ConvService.Inference.Operators.Indexing;

/// <summary>
/// MaxUnpool: a zero tensor of the unpooled shape receives each input value at the flat output position its index
/// names (the indices a MaxPool returns, counted over the whole output tensor, batch and channels included).
/// </summary>
internal static class UnpoolTargets
{
    /// <summary>The default output shape: each spatial size (in - 1) * stride + kernel - pads at both ends.</summary>
    public static int[] DefaultShape(int[] input, long[] kernel, long[] strides, long[] pads)
    {
        var spatial = input.Length - 2;
        var shape = (int[])input.Clone();
        for (var d = 0; d < spatial; d++)
        {
            var size = ((input[d + 2] - 1) * strides[d]) + kernel[d] - pads[d] - pads[d + spatial];
            if (size < 0 || size > int.MaxValue)
            {
                throw new PlanningException($"spatial axis {d} would have size {size}");
            }

            shape[d + 2] = (int)size;
        }

        return shape;
    }

    /// <summary>Each index checked against the output's element count.</summary>
    public static int[] Targets(long[] indices, long outputElements)
    {
        var targets = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] < 0 || indices[i] >= outputElements)
            {
                throw new PlanningException($"index {indices[i]} is outside the output's {outputElements} elements");
            }

            targets[i] = (int)indices[i];
        }

        return targets;
    }
}
