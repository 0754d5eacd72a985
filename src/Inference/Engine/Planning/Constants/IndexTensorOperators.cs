using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Planning.Operators;
using ConvService.Inference.Operators.Indexing;
using ConvService.Inference.Operators.LinearAlgebra;
using ConvService.Inference.Operators.Sampling;

namespace ConvService.Inference.Engine.Planning.Constants;

/// <summary>
/// GatherND, ScatterND, ScatterElements, Scatter, OneHot, Compress, MaxUnpool, ReverseSequence, GridSample, RoiAlign and Det on constants, through the same layouts the
/// runtime planners use. Integer data stays integer; floats stay float.
/// </summary>
internal static class IndexTensorOperators
{
    public static ConstantTensor[] GatherND(NodeContext context)
    {
        var (shape, sources) = IndexingPlanner.GatherNdLayout(context);
        return [ConstantMath.Take(Value(context, 0), ConstantMath.Shape(context, shape), sources)];
    }

    public static ConstantTensor[] ScatterND(NodeContext context) =>
        [Scatter(context, IndexingPlanner.ScatterNdTargets(context))];

    public static ConstantTensor[] ScatterElements(NodeContext context) =>
        [Scatter(context, IndexingPlanner.ScatterElementTargets(context))];

    public static ConstantTensor[] OneHot(NodeContext context)
    {
        var (shape, outer, depth, inner, off, on) = IndexingPlanner.OneHotLayout(context);
        var output = new float[ConstantMath.Count(shape)];
        OneHotKernel.Run(Value(context, 0).AsFloats(), output, outer, depth, inner, off, on);
        return [ConstantTensor.OfFloats(shape, output)];
    }

    public static ConstantTensor[] Compress(NodeContext context)
    {
        var (shape, sources) = IndexingPlanner.CompressLayout(context);
        return [ConstantMath.Take(Value(context, 0), shape, sources)];
    }

    public static ConstantTensor[] MaxUnpool(NodeContext context)
    {
        var (shape, targets) = IndexingPlanner.MaxUnpoolLayout(context);
        var output = new float[ConstantMath.Count(shape)];
        ScatterReductions.Apply(output, Value(context, 0).AsFloats(), targets, ScatterReduction.None);
        return [ConstantTensor.OfFloats(shape, output)];
    }

    public static ConstantTensor[] ReverseSequence(NodeContext context)
    {
        var data = Value(context, 0);
        return [ConstantMath.Take(data, data.Dims, IndexingPlanner.ReverseSequenceSources(context))];
    }

    public static ConstantTensor[] GridSample(NodeContext context)
    {
        var (shape, options) = SamplingPlanner.GridSampleLayout(context);
        var x = context.Shape(0);
        var output = new float[ConstantMath.Count(shape)];
        GridSampleKernel.Run(Value(context, 0).AsFloats(), Value(context, 1).AsFloats(), output, x[0], x[1], x[2], x[3], shape[2], shape[3], options);
        return [ConstantTensor.OfFloats(shape, output)];
    }

    public static ConstantTensor[] RoiAlign(NodeContext context)
    {
        var (shape, batchIndices, options) = SamplingPlanner.RoiAlignLayout(context);
        var x = context.Shape(0);
        var output = new float[ConstantMath.Count(shape)];
        RoiAlignKernel.Run(Value(context, 0).AsFloats(), Value(context, 1).AsFloats(), batchIndices, output, x[1], x[2], x[3], options);
        return [ConstantTensor.OfFloats(shape, output)];
    }

    public static ConstantTensor[] Det(NodeContext context)
    {
        var (shape, n) = LinearAlgebraPlanner.DetLayout(context);
        var output = new float[ConstantMath.Count(shape)];
        Determinant.Run(Value(context, 0).AsFloats(), output, n, new double[n * n]);
        return [ConstantTensor.OfFloats(shape, output)];
    }

    private static ConstantTensor Scatter(NodeContext context, int[] targets)
    {
        var reduction = IndexingPlanner.Reduction(context);
        var data = Value(context, 0);
        var updates = Value(context, 2);
        if (data.Integers is { } integers && updates.Integers is { } integerUpdates)
        {
            var result = (long[])integers.Clone();
            ScatterReductions.Apply(result, integerUpdates, targets, reduction);
            return ConstantTensor.OfIntegers(data.Dims, result);
        }

        var values = (float[])data.AsFloats().Clone();
        ScatterReductions.Apply(values, updates.AsFloats(), targets, reduction);
        return ConstantTensor.OfFloats(data.Dims, values);
    }

    private static ConstantTensor Value(NodeContext context, int index) => context.RequireConstant(index, $"input {index}");
}
