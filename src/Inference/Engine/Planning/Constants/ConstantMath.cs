using ConvService.Inference.Engine.Graph;

namespace ConvService.Inference.Engine.Planning.Constants;

/// <summary>Shape checks and index arithmetic shared by the constant evaluators; sizes are checked before anything is allocated.</summary>
internal static class ConstantMath
{
    /// <summary>A shape from integer dimensions, refused when a dimension is negative or the total passes the per-tensor limit.</summary>
    public static int[] Shape(NodeContext context, IReadOnlyList<long> dims)
    {
        long count = 1;
        var shape = new int[dims.Count];
        for (var i = 0; i < shape.Length; i++)
        {
            if (dims[i] < 0 || dims[i] > context.Options.MaxElementsPerTensor)
            {
                throw context.Fail($"the shape [{string.Join(", ", dims)}] has a negative dimension or one past the limit of {context.Options.MaxElementsPerTensor} elements per tensor");
            }

            shape[i] = (int)dims[i];
            count *= Math.Max(1, dims[i]);
            if (count > context.Options.MaxElementsPerTensor)
            {
                throw context.Fail($"the shape [{string.Join(", ", dims)}] exceeds the limit of {context.Options.MaxElementsPerTensor} elements per tensor");
            }
        }

        return shape;
    }

    public static int[] Shape(NodeContext context, IReadOnlyList<int> dims) => Shape(context, dims.Select(d => (long)d).ToArray());

    public static int Count(ReadOnlySpan<int> shape) => (int)TensorShape.Elements(shape);

    /// <summary>Row-major strides of a shape.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        var stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }

        return strides;
    }

    /// <summary>For every element of a broadcast output, the element of <paramref name="input"/> it reads.</summary>
    public static int[] BroadcastSources(int[] output, int[] input)
    {
        var offset = output.Length - input.Length;
        var inputStrides = Strides(input);
        var sources = new int[Count(output)];
        var index = new int[output.Length];
        for (var i = 0; i < sources.Length; i++)
        {
            var source = 0;
            for (var d = offset; d < output.Length; d++)
            {
                if (input[d - offset] != 1)
                {
                    source += index[d] * inputStrides[d - offset];
                }
            }

            sources[i] = source;
            Increment(index, output);
        }

        return sources;
    }

    /// <summary>The numpy broadcast of several shapes, or a refusal naming them.</summary>
    public static int[] Broadcast(NodeContext context, params int[][] shapes)
    {
        var result = shapes[0];
        foreach (var shape in shapes.Skip(1))
        {
            result = Inference.Operators.Elementwise.BroadcastBinary.BroadcastShape(result, shape)
                ?? throw context.Fail($"shapes {string.Join(" and ", shapes.Select(s => TensorShape.Format(s)))} do not broadcast");
        }

        return result;
    }

    /// <summary>A tensor of <paramref name="shape"/> whose element i is element sources[i] of <paramref name="source"/>, of the same kind.</summary>
    public static ConstantTensor Take(ConstantTensor source, int[] shape, int[] sources)
    {
        if (source.Integers is { } integers)
        {
            var result = new long[sources.Length];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = integers[sources[i]];
            }

            return ConstantTensor.OfIntegers(shape, result);
        }

        var floats = source.Floats!;
        var values = new float[sources.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = floats[sources[i]];
        }

        return ConstantTensor.OfFloats(shape, values);
    }

    /// <summary>Advances a row-major multi-index over <paramref name="shape"/>.</summary>
    public static void Increment(int[] index, ReadOnlySpan<int> shape)
    {
        for (var d = index.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d])
            {
                return;
            }

            index[d] = 0;
        }
    }

    /// <summary>An axis resolved against a rank (negative counts from the end).</summary>
    public static int Axis(NodeContext context, long axis, int rank) => context.Axis(axis, Math.Max(rank, 1));
}
