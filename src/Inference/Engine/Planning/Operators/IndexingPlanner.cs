using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Indexing;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// Operators addressed by index tensors: GatherND, ScatterND, ScatterElements (and its old name Scatter), OneHot,
/// Compress. Indices and conditions must be constants, so every address is worked out once here; the layouts are
/// shared with the constant evaluators, which fold these nodes when the data is constant too.
/// </summary>
internal static class IndexingPlanner
{
    /// <summary>GatherND (opsets 11, 12 with batch_dims, 13).</summary>
    public static void GatherND(NodeContext context)
    {
        var (shape, sources) = GatherNdLayout(context);
        context.AddStep(new IndexedCopyStep(context.Operand(0), context.Output(0, shape), sources));
    }

    /// <summary>ScatterND (opsets 11, 13, 16 with add/mul, 18 with max/min).</summary>
    public static void ScatterND(NodeContext context)
    {
        var targets = ScatterNdTargets(context);
        PlanScatter(context, targets, Reduction(context));
    }

    /// <summary>ScatterElements (opsets 11, 13, 16 with add/mul, 18 with max/min) and Scatter (opsets 9, 11), the same without reductions.</summary>
    public static void ScatterElements(NodeContext context)
    {
        var targets = ScatterElementTargets(context);
        PlanScatter(context, targets, Reduction(context));
    }

    /// <summary>OneHot (opsets 9, 11) on runtime indices; depth and values must be constants.</summary>
    public static void OneHot(NodeContext context)
    {
        var (shape, outer, depth, inner, off, on) = OneHotLayout(context);
        context.AddStep(new OneHotStep(context.Operand(0), context.Output(0, shape), outer, depth, inner, off, on));
    }

    /// <summary>Compress (opsets 9, 11) with a constant condition.</summary>
    public static void Compress(NodeContext context)
    {
        var (shape, sources) = CompressLayout(context);
        context.AddStep(new IndexedCopyStep(context.Operand(0), context.Output(0, shape), sources));
    }

    public static (int[] Shape, int[] Sources) GatherNdLayout(NodeContext context)
    {
        var indices = context.RequireConstant(1, "the indices");
        var batchDims = (int)Math.Clamp(context.Attributes.Int("batch_dims", 0), -1, int.MaxValue);
        return TupleOffsets.Gather(context.Shape(0), indices.Dims, indices.AsIntegers(), batchDims);
    }

    public static int[] ScatterNdTargets(NodeContext context)
    {
        var indices = context.RequireConstant(1, "the indices");
        return TupleOffsets.Scatter(context.Shape(0), indices.Dims, indices.AsIntegers(), context.Shape(2));
    }

    public static int[] ScatterElementTargets(NodeContext context)
    {
        var data = context.Shape(0);
        var indices = context.RequireConstant(1, "the indices");
        if (!indices.Dims.AsSpan().SequenceEqual(context.Shape(2)))
        {
            throw context.Fail($"the updates have shape {TensorShape.Format(context.Shape(2))} but the indices {TensorShape.Format(indices.Dims)}; they must be the same");
        }

        var axis = context.Axis(context.Attributes.Int("axis", 0), data.Length);
        return ElementOffsets.Along(data, indices.Dims, indices.AsIntegers(), axis, context.Node.OpType);
    }

    public static ScatterReduction Reduction(NodeContext context)
    {
        var name = context.Attributes.String("reduction", "none");
        return ScatterReductions.Parse(name) ?? throw context.Fail($"reduction '{name}' is not one of none, add, mul, max, min");
    }

    public static (int[] Shape, int Outer, int Depth, int Inner, float Off, float On) OneHotLayout(NodeContext context)
    {
        var indices = context.Shape(0);
        var depthValues = context.RequireConstant(1, "depth").AsFloats();
        var values = context.RequireConstant(2, "values").AsFloats();
        if (depthValues.Length != 1 || values.Length != 2)
        {
            throw context.Fail($"depth must hold one value and values two (off, on), not {depthValues.Length} and {values.Length}");
        }

        // ONNX reads a non-integer depth by truncation, as a cast to int64 would.
        var depth = depthValues[0];
        if (!(depth >= 1) || depth > context.Options.MaxElementsPerTensor)
        {
            throw context.Fail($"depth {depth} must be at least 1 and within the limit of {context.Options.MaxElementsPerTensor} elements per tensor");
        }

        var axis = context.Axis(context.Attributes.Int("axis", -1), indices.Length + 1);
        int[] shape = [.. indices[..axis], (int)depth, .. indices[axis..]];
        if (TensorShape.Elements(shape) > context.Options.MaxElementsPerTensor)
        {
            throw context.Fail($"the output {TensorShape.Format(shape)} exceeds the limit of {context.Options.MaxElementsPerTensor} elements per tensor");
        }

        return (shape, TensorShape.Product(indices, 0, axis), (int)depth, TensorShape.Product(indices, axis, indices.Length), values[0], values[1]);
    }

    public static (int[] Shape, int[] Sources) CompressLayout(NodeContext context)
    {
        var data = context.Shape(0);
        var condition = context.RequireConstant(1, "the condition");
        if (condition.Dims.Length != 1)
        {
            throw context.Fail($"the condition has shape {TensorShape.Format(condition.Dims)}; it must be 1-D");
        }

        int? axis = context.Attributes.Has("axis") ? context.Axis(context.Attributes.Int("axis", 0), data.Length) : null;
        return CompressSources.Plan(data, condition.AsIntegers(), axis);
    }

    private static void PlanScatter(NodeContext context, int[] targets, ScatterReduction reduction)
    {
        var data = context.Shape(0);
        context.AddStep(new ScatterStep(context.Operand(0), context.Operand(2), context.Output(0, data), targets, reduction));
    }
}
