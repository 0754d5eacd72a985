namespace ConvService.Inference.Engine.Planning;

/// <summary>Shape arithmetic shared by the planners.</summary>
internal static class TensorShape
{
    public static long Elements(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        return count;
    }

    public static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        var count = 1;
        for (var i = from; i < to; i++)
        {
            count *= shape[i];
        }

        return count;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
