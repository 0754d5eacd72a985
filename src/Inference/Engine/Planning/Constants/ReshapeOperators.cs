using ConvService.Inference.Engine.Graph;

namespace ConvService.Inference.Engine.Planning.Constants;

/// <summary>Operators that keep the values and change only the shape.</summary>
internal static class ReshapeOperators
{
    public static ConstantTensor[] Identity(NodeContext context) => [context.RequireConstant(0, "the input")];

    /// <summary>Reshape-1 and -4 take the shape as an attribute, from opset 5 as an input.</summary>
    public static ConstantTensor[] Reshape(NodeContext context)
    {
        var data = context.RequireConstant(0, "the data");
        var target = context.IntegersFromInputOrAttribute(1, "shape") ?? throw context.Fail("no target shape given");
        var allowZero = context.Attributes.Int("allowzero", 0) != 0;
        var shape = new long[target.Length];
        var inferred = -1;
        long known = 1;
        for (var i = 0; i < target.Length; i++)
        {
            shape[i] = target[i] == 0 && !allowZero
                ? i < data.Dims.Length ? data.Dims[i] : throw context.Fail($"target dimension {i} is 0 (copy) but the data has only {data.Dims.Length} dimensions")
                : target[i];
            if (shape[i] == -1)
            {
                inferred = inferred < 0 ? i : throw context.Fail("the target shape has more than one -1");
                continue;
            }

            known *= shape[i] >= 0 ? shape[i] : throw context.Fail($"target dimension {target[i]} is invalid");
        }

        if (inferred >= 0)
        {
            shape[inferred] = known == 0 || data.Length % known != 0 ? throw context.Fail($"cannot infer the -1 dimension of [{string.Join(", ", target)}] from {data.Length} elements") : data.Length / known;
        }

        return [With(data, ConstantMath.Shape(context, shape), context)];
    }

    public static ConstantTensor[] Flatten(NodeContext context)
    {
        var data = context.RequireConstant(0, "the input");
        var dims = data.Dims;
        var axisValue = context.Attributes.Int("axis", 1);
        var axis = axisValue == dims.Length ? dims.Length : context.Axis(axisValue, dims.Length);
        return [With(data, [TensorShape.Product(dims, 0, axis), TensorShape.Product(dims, axis, dims.Length)], context)];
    }

    /// <summary>Squeeze and Unsqueeze take axes as an attribute before opset 13, as an input from 13.</summary>
    public static ConstantTensor[] Squeeze(NodeContext context)
    {
        var data = context.RequireConstant(0, "the input");
        var dims = data.Dims;
        var axes = context.IntegersFromInputOrAttribute(1, "axes")?.Select(a => context.Axis(a, dims.Length)).ToHashSet();
        if (axes is not null && axes.Any(a => dims[a] != 1))
        {
            throw context.Fail("a squeezed axis does not have size 1");
        }

        return [With(data, dims.Where((d, i) => axes is null ? d != 1 : !axes.Contains(i)).ToArray(), context)];
    }

    public static ConstantTensor[] Unsqueeze(NodeContext context)
    {
        var data = context.RequireConstant(0, "the input");
        var raw = context.IntegersFromInputOrAttribute(1, "axes") ?? throw context.Fail("no axes given");
        var rank = data.Dims.Length + raw.Length;
        var axes = raw.Select(a => context.Axis(a, rank)).ToHashSet();
        if (axes.Count != raw.Length)
        {
            throw context.Fail("axes repeat");
        }

        var shape = new int[rank];
        var source = 0;
        for (var i = 0; i < rank; i++)
        {
            shape[i] = axes.Contains(i) ? 1 : data.Dims[source++];
        }

        return [With(data, shape, context)];
    }

    private static ConstantTensor With(ConstantTensor data, int[] shape, NodeContext context)
    {
        if (TensorShape.Elements(shape) != data.Length)
        {
            throw context.Fail($"the shape {TensorShape.Format(shape)} does not hold the {data.Length} elements of {TensorShape.Format(data.Dims)}");
        }

        return data.Floats is { } floats ? ConstantTensor.OfFloats(shape, floats) : ConstantTensor.OfIntegers(shape, data.Integers!);
    }
}
