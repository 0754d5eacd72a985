using ConvService.Inference.Engine.Graph;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// Shape and Gather, folded at plan time: shapes are static once the batch is known, so the chains exporters
/// emit to compute Reshape targets (Shape, Gather, Unsqueeze, Concat) become constants.
/// </summary>
internal static class ShapeComputationPlanner
{
    public static void Shape(NodeContext context)
    {
        var x = context.Shape(0);
        var start = (int)Math.Clamp(Resolve(context.Attributes.Int("start", 0), x.Length), 0, x.Length);
        var end = (int)Math.Clamp(Resolve(context.Attributes.Int("end", x.Length), x.Length), start, x.Length);
        var dims = x[start..end].Select(d => (long)d).ToArray();
        context.OutputConstant(0, ConstantTensor.OfIntegers([dims.Length], dims));
    }

    public static void Gather(NodeContext context)
    {
        var data = context.Constant(0) ?? throw context.Fail("Gather is supported only on constants (shape computations)");
        var indices = context.RequireConstant(1, "the indices");
        var axis = context.Axis(context.Attributes.Int("axis", 0), Math.Max(1, data.Dims.Length));
        var dims = data.Dims.Length == 0 ? [1] : data.Dims;
        var outer = TensorShape.Product(dims, 0, axis);
        var inner = TensorShape.Product(dims, axis + 1, dims.Length);
        var picks = indices.AsIntegers().Select(i => (int)(i < 0 ? i + dims[axis] : i)).ToArray();
        if (picks.Any(p => p < 0 || p >= dims[axis]))
        {
            throw context.Fail($"an index is outside axis {axis} of size {dims[axis]}");
        }

        int[] shape = [.. dims[..axis], .. indices.Dims, .. dims[(axis + 1)..]];
        var source = data.AsFloats();
        var result = new float[outer * picks.Length * inner];
        for (var o = 0; o < outer; o++)
        {
            for (var p = 0; p < picks.Length; p++)
            {
                Array.Copy(source, (o * dims[axis] + picks[p]) * inner, result, (o * picks.Length + p) * inner, inner);
            }
        }

        context.OutputConstant(0, data.Integers is not null
            ? ConstantTensor.OfIntegers(shape, Array.ConvertAll(result, v => (long)v))
            : ConstantTensor.OfFloats(shape, result));
    }

    private static long Resolve(long axis, int rank) => axis < 0 ? axis + rank : axis;
}
