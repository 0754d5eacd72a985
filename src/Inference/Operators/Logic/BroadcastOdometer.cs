namespace ConvService.Inference.Operators.Logic;

/// <summary>Per-input strides over a broadcast output shape (0 where an input repeats), for element-wise operators with any number of inputs.</summary>
public sealed class BroadcastOdometer
{
    public BroadcastOdometer(int[] outputShape, IReadOnlyList<int[]> inputShapes)
    {
        OutputShape = outputShape;
        Strides = new int[inputShapes.Count][];
        for (var i = 0; i < inputShapes.Count; i++)
        {
            var shape = inputShapes[i];
            var strides = new int[outputShape.Length];
            var stride = 1;
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                strides[outputShape.Length - shape.Length + d] = shape[d] == 1 ? 0 : stride;
                stride *= shape[d];
            }

            Strides[i] = strides;
        }
    }

    public int[] OutputShape { get; }

    /// <summary>Strides[input][output axis].</summary>
    public int[][] Strides { get; }

    /// <summary>The numpy broadcast of several shapes, or null when they are incompatible.</summary>
    public static int[]? Shape(IEnumerable<int[]> shapes)
    {
        int[]? result = [];
        foreach (var s in shapes)
        {
            result = Elementwise.BroadcastBinary.BroadcastShape(result, s);
            if (result is null)
            {
                return null;
            }
        }

        return result;
    }
}
