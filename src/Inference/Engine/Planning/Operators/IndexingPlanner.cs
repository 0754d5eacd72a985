using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Indexing;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// Operators addressed by index tensors: GatherND, ScatterND, ScatterElements (and its old name Scatter), OneHot,
/// Compress, MaxUnpool, ReverseSequence. Indices and conditions must be constants, so every address is worked out once here; the layouts are
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

    /// <summary>MaxUnpool (opsets 9, 11, 22) with constant indices (and output_shape when given).</summary>
    public static void MaxUnpool(NodeContext context)
    {
        var (shape, targets) = MaxUnpoolLayout(context);
        var output = context.Output(0, shape);
        var zeros = Operand.OfConstant(new float[TensorShape.Elements(shape)]);
        context.AddStep(new ScatterStep(zeros, context.Operand(0), output, targets, ScatterReduction.None));
    }

    /// <summary>ReverseSequence (opset 10) with constant sequence lengths.</summary>
    public static void ReverseSequence(NodeContext context)
    {
        var sources = ReverseSequenceSources(context);
        context.AddStep(new IndexedCopyStep(context.Operand(0), context.Output(0, context.Shape(0)), sources));
    }

    public static (int[] Shape, int[] Targets) MaxUnpoolLayout(NodeContext context)
    {
        var x = context.Shape(0);
        var spatial = x.Length - 2;
        var indices = context.RequireConstant(1, "the indices");
        if (spatial < 1 || !indices.Dims.AsSpan().SequenceEqual(x))
        {
            throw context.Fail($"MaxUnpool needs [N, C, spatial...] input and indices of the same shape, not {TensorShape.Format(x)} and {TensorShape.Format(indices.Dims)}");
        }

        var kernel = context.Attributes.Ints("kernel_shape") ?? throw context.Fail("no kernel_shape given");
        var strides = context.Attributes.Ints("strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = context.Attributes.Ints("pads") ?? new long[2 * spatial];
        if (kernel.Length != spatial || strides.Length != spatial || pads.Length != 2 * spatial)
        {
            throw context.Fail($"kernel_shape, strides and pads must give {spatial}, {spatial} and {2 * spatial} values");
        }

        var shape = UnpoolTargets.DefaultShape(x, kernel, strides, pads);
        if (context.Has(2))
        {
            // ONNX's reference reads the indices against the default shape and pads the rest; ONNX Runtime scatters them
            // straight into the given shape. Where the two differ the result is ambiguous, so only the default is taken.
            var given = Constants.ConstantMath.Shape(context, context.RequireConstant(2, "output_shape").AsIntegers());
            if (!given.AsSpan().SequenceEqual(shape))
            {
                throw context.Fail($"output_shape {TensorShape.Format(given)} differs from the unpooled shape {TensorShape.Format(shape)}; ONNX's reference and ONNX Runtime place the values differently there, so only the unpooled shape is supported");
            }
        }

        WithinLimit(context, shape);
        return (shape, UnpoolTargets.Targets(indices.AsIntegers(), TensorShape.Elements(shape)));
    }

    public static int[] ReverseSequenceSources(NodeContext context)
    {
        var x = context.Shape(0);
        var lengths = context.RequireConstant(1, "sequence_lens").AsIntegers();
        var batchAxis = context.Attributes.Int("batch_axis", 1);
        var timeAxis = context.Attributes.Int("time_axis", 0);
        if (x.Length < 2 || batchAxis is not (0 or 1) || timeAxis is not (0 or 1) || batchAxis == timeAxis)
        {
            throw context.Fail($"batch_axis {batchAxis} and time_axis {timeAxis} must be 0 and 1 in some order, on a tensor of rank 2 or more");
        }

        return SequenceReversal.Sources(x, lengths, (int)batchAxis, (int)timeAxis);
    }

    public static (int[] Shape, int[] Sources) GatherNdLayout(NodeContext context)
    {
        var indices = context.RequireConstant(1, "the indices");
        var batchDims = (int)Math.Clamp(context.Attributes.Int("batch_dims", 0), -1, int.MaxValue);
        return TupleOffsets.Gather(context.Shape(0), indices.Dims, indices.AsIntegers(), batchDims, context.Options.MaxElementsPerTensor);
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

    /// <summary>Refuses an output past the per-tensor limit before anything of its size is allocated.</summary>
    public static void WithinLimit(NodeContext context, int[] shape)
    {
        if (TensorShape.Elements(shape) > context.Options.MaxElementsPerTensor)
        {
            throw context.Fail($"the output {TensorShape.Format(shape)} exceeds the limit of {context.Options.MaxElementsPerTensor} elements per tensor");
        }
    }
}
