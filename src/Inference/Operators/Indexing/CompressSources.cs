using ConvService.Inference.Engine.Planning;

namespace ConvService.Inference.Operators.Indexing;

/// <summary>
/// Compress: keeps the slices along an axis whose condition is true (the whole tensor flattened when no axis is
/// given). A condition shorter than the axis leaves the rest out.
/// </summary>
internal static class CompressSources
{
    /// <summary>The output shape and, for every output element, the input element it copies.</summary>
    public static (int[] Shape, int[] Sources) Plan(int[] dataShape, long[] condition, int? axis)
    {
        var flat = axis is null;
        int[] shape = flat ? [Elements(dataShape)] : dataShape;
        var along = axis ?? 0;
        if (condition.Length > shape[along])
        {
            throw new PlanningException($"the condition has {condition.Length} entries but the axis has only {shape[along]}");
        }

        var kept = Enumerable.Range(0, condition.Length).Where(i => condition[i] != 0).ToArray();
        var outer = 1;
        for (var d = 0; d < along; d++)
        {
            outer *= shape[d];
        }

        var inner = 1;
        for (var d = along + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        var sources = new int[outer * kept.Length * inner];
        var next = 0;
        for (var o = 0; o < outer; o++)
        {
            foreach (var k in kept)
            {
                for (var i = 0; i < inner; i++)
                {
                    sources[next++] = (((o * shape[along]) + k) * inner) + i;
                }
            }
        }

        var result = (int[])shape.Clone();
        result[along] = kept.Length;
        return (result, sources);
    }

    private static int Elements(int[] shape) => shape.Aggregate(1, (p, d) => p * d);
}
