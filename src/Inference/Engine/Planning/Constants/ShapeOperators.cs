using ConvService.Inference.Engine.Graph;

namespace ConvService.Inference.Engine.Planning.Constants;

/// <summary>Shape, Size, ConstantOfShape and Range.</summary>
internal static class ShapeOperators
{
    public static ConstantTensor[] Shape(NodeContext context)
    {
        var x = context.Shape(0);
        var start = Clamp(context.Attributes.Int("start", 0), x.Length);
        var end = Math.Max(start, Clamp(context.Attributes.Int("end", x.Length), x.Length));
        var dims = x[start..end].Select(d => (long)d).ToArray();
        return [ConstantTensor.OfIntegers([dims.Length], dims)];
    }

    public static ConstantTensor[] Size(NodeContext context) => [ConstantTensor.OfIntegers([], [TensorShape.Elements(context.Shape(0))])];

    public static ConstantTensor[] ConstantOfShape(NodeContext context)
    {
        var shape = ConstantMath.Shape(context, context.RequireConstant(0, "the shape").AsIntegers());
        var count = ConstantMath.Count(shape);
        var value = context.Attributes.Tensor("value");
        if (value is null || (Onnx.Proto.TensorProto.Types.DataType)value.DataType is Onnx.Proto.TensorProto.Types.DataType.Float or Onnx.Proto.TensorProto.Types.DataType.Double or Onnx.Proto.TensorProto.Types.DataType.Float16)
        {
            var fill = value is null ? 0f : ReadValue(context, value).AsFloats()[0];
            return [ConstantTensor.OfFloats(shape, Enumerable.Repeat(fill, count).ToArray())];
        }

        var integer = ReadValue(context, value).AsIntegers()[0];
        return [ConstantTensor.OfIntegers(shape, Enumerable.Repeat(integer, count).ToArray())];
    }

    public static ConstantTensor[] Range(NodeContext context)
    {
        var start = context.RequireConstant(0, "start");
        var limit = context.RequireConstant(1, "limit");
        var delta = context.RequireConstant(2, "delta");
        if (start.Integers is not null && limit.Integers is not null && delta.Integers is not null)
        {
            long s = start.Integers[0], l = limit.Integers[0], d = delta.Integers[0];
            if (d == 0)
            {
                throw context.Fail("delta is 0");
            }

            var count = Math.Max(0, (long)Math.Ceiling((double)(l - s) / d));
            var shape = ConstantMath.Shape(context, [count]);
            return [ConstantTensor.OfIntegers(shape, Enumerable.Range(0, shape[0]).Select(i => s + (i * d)).ToArray())];
        }

        float fs = start.AsFloats()[0], fl = limit.AsFloats()[0], fd = delta.AsFloats()[0];
        if (fd == 0 || !float.IsFinite(fs) || !float.IsFinite(fl) || !float.IsFinite(fd))
        {
            throw context.Fail("start, limit and delta must be finite and delta non-zero");
        }

        var n = ConstantMath.Shape(context, [Math.Max(0, (long)Math.Ceiling((fl - fs) / fd))]);
        return [ConstantTensor.OfFloats(n, Enumerable.Range(0, n[0]).Select(i => fs + (i * fd)).ToArray())];
    }

    private static ConstantTensor ReadValue(NodeContext context, Onnx.Proto.TensorProto tensor)
    {
        var problems = new Onnx.ModelProblems();
        var value = Onnx.TensorReader.Read(tensor, "the value attribute", context.Options, problems);
        if (value is null || value.Length != 1)
        {
            throw context.Fail("the value attribute must be a one-element tensor of a supported type");
        }

        return value;
    }

    private static int Clamp(long axis, int rank) => (int)Math.Clamp(axis < 0 ? axis + rank : axis, 0, rank);
}
