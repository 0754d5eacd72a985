using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Pairwise;
using ConvService.Inference.Operators.Reduction;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// Normalisation by statistics computed per request: InstanceNormalization, GroupNormalization,
/// LayerNormalization and MeanVarianceNormalization; and LogSoftmax and Hardmax in both opset forms.
/// </summary>
internal static class FeatureNormalizationPlanner
{
    public static IEnumerable<(string OpType, Action<NodeContext> Planner)> Operators =>
    [
        ("InstanceNormalization", Instance),
        ("GroupNormalization", Group),
        ("LayerNormalization", Layer),
        ("MeanVarianceNormalization", MeanVariance),
        ("LogSoftmax", SoftmaxVariant),
        ("Hardmax", SoftmaxVariant),
    ];

    public static void Instance(NodeContext context)
    {
        var x = ChannelInput(context);
        var channels = x[1];
        var scale = PerChannel(context, 1, "scale", channels, channels);
        var bias = PerChannel(context, 2, "B", channels, channels);
        Grouped(context, x, channels, scale, bias);
    }

    public static void Group(NodeContext context)
    {
        var x = ChannelInput(context);
        var channels = x[1];
        var groups = (int)context.Attributes.Int("num_groups", 0);
        if (groups < 1 || channels % groups != 0)
        {
            throw context.Fail($"num_groups {groups} does not divide the {channels} channels");
        }

        // Opset 18 defined scale and bias per group, opset 21 per channel; a per-group vector is spread over its channels.
        var scale = PerChannel(context, 1, "scale", channels, groups);
        var bias = PerChannel(context, 2, "bias", channels, groups);
        Grouped(context, x, groups, scale, bias);
    }

    public static void Layer(NodeContext context)
    {
        var x = context.Shape(0);
        var axis = context.Axis(context.Attributes.Int("axis", -1), x.Length);
        var rowShape = x[axis..];
        var rowLength = TensorShape.Product(x, axis, x.Length);
        var scale = Spread(context, 1, "Scale", rowShape);
        var bias = context.Has(2) ? Spread(context, 2, "B", rowShape) : new float[rowLength];
        var input = context.Operand(0);
        var output = context.Output(0, x);

        // The optional statistics keep the normalised axes as 1s; -1 marks an output the graph does not use.
        var statisticsShape = x.Select((d, i) => i < axis ? d : 1).ToArray();
        var mean = context.OutputUsed(1) ? context.Output(1, statisticsShape) : -1;
        var invStdDev = context.OutputUsed(2) ? context.Output(2, statisticsShape) : -1;
        var rows = TensorShape.Product(x, 0, axis);
        var epsilon = context.Attributes.Float("epsilon", 1e-5f);
        context.AddStep(new LayerNormalizationStep(input, output, mean, invStdDev, rows, rowLength, scale, bias, epsilon, context.Options.Simd), 2L * rowLength);
    }

    public static void MeanVariance(NodeContext context)
    {
        var x = context.Shape(0);
        if (context.Attributes.Has("across_channels") || context.Attributes.Has("normalize_variance"))
        {
            throw context.Fail("the opset-1 attributes across_channels and normalize_variance are not supported");
        }

        var listed = context.Attributes.Ints("axes") ?? [0, 2, 3];
        var axes = listed.Select(a => context.Axis(a, x.Length)).ToHashSet();
        var input = context.Operand(0);
        var output = context.Output(0, x);
        context.AddStep(new MeanVarianceNormalizationStep(ReductionPlan.Create(x, axes), input, output, context.Options.Simd));
    }

    public static void SoftmaxVariant(NodeContext context)
    {
        var x = context.Shape(0);
        var legacy = context.Opset < 13;
        var axis = context.Axis(context.Attributes.Int("axis", legacy ? 1 : -1), x.Length);

        // As Softmax: before opset 13 the tensor is flattened to 2-D at the axis; from 13 on one axis is normalised.
        var outer = TensorShape.Product(x, 0, axis);
        var length = legacy ? TensorShape.Product(x, axis, x.Length) : x[axis];
        var inner = legacy ? 1 : TensorShape.Product(x, axis + 1, x.Length);
        var input = context.Operand(0);
        var output = context.Output(0, x);
        context.AddStep(new SoftmaxVariantStep(input, output, outer, length, inner, context.Node.OpType, context.Options.Simd));
    }

    private static int[] ChannelInput(NodeContext context)
    {
        var x = context.Shape(0);
        if (x.Length < 2)
        {
            throw context.Fail("the input needs a batch and a channel dimension (N, C, ...)");
        }

        return x;
    }

    private static void Grouped(NodeContext context, int[] x, int groups, float[] scale, float[] bias)
    {
        var input = context.Operand(0);
        var output = context.Output(0, x);
        var epsilon = context.Attributes.Float("epsilon", 1e-5f);
        context.AddStep(new GroupNormalizationStep(input, output, x[0], x[1], groups, TensorShape.Product(x, 2, x.Length), scale, bias, epsilon, context.Options.Simd), 2L * x[1]);
    }

    /// <summary>A constant with one value per channel, or per group (each value then repeated for its group's channels).</summary>
    private static float[] PerChannel(NodeContext context, int index, string name, int channels, int groups)
    {
        var values = context.RequireConstant(index, name).AsFloats();
        if (values.Length == channels)
        {
            return values;
        }

        if (values.Length == groups)
        {
            var perGroup = channels / groups;
            return Enumerable.Range(0, channels).Select(c => values[c / perGroup]).ToArray();
        }

        throw context.Fail($"{name} has {values.Length} values where {channels} (one per channel) are expected");
    }

    /// <summary>A constant broadcast (numpy rules) to the normalised row's shape.</summary>
    private static float[] Spread(NodeContext context, int index, string name, int[] rowShape)
    {
        var constant = context.RequireConstant(index, name);
        if (BroadcastLayout.BroadcastShape(constant.Dims, rowShape) is not { } shape || !shape.SequenceEqual(rowShape))
        {
            throw context.Fail($"{name} {TensorShape.Format(constant.Dims)} does not broadcast to the normalised shape {TensorShape.Format(rowShape)}");
        }

        return BroadcastLayout.Reference(PairwiseKind.Add, constant.Dims, constant.AsFloats(), [1], [0f], rowShape);
    }
}
