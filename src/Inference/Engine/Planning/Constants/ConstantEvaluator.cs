using ConvService.Inference.Engine.Graph;

namespace ConvService.Inference.Engine.Planning.Constants;

/// <summary>
/// Evaluates a node while planning when its result is known then: every input is a constant, or the operator reads
/// only its input's shape (Shape, Size). The shape arithmetic exporters emit (Shape, Gather, Cast, Slice, Concat,
/// Unsqueeze, Reshape...) thus folds into constants once per input shape, and the runtime planners only ever see
/// nodes with a runtime input. These are small reference implementations over <see cref="ConstantTensor"/>,
/// integers in 64 bits and floats in 32, as ONNX computes them.
/// </summary>
internal static class ConstantEvaluator
{
    private static readonly Dictionary<string, Func<NodeContext, ConstantTensor[]>> Evaluators = new()
    {
        ["Shape"] = ShapeOperators.Shape,
        ["Size"] = ShapeOperators.Size,
        ["ConstantOfShape"] = ShapeOperators.ConstantOfShape,
        ["Range"] = ShapeOperators.Range,
        ["Gather"] = IndexOperators.Gather,
        ["Slice"] = IndexOperators.Slice,
        ["Concat"] = IndexOperators.Concat,
        ["Split"] = IndexOperators.Split,
        ["Expand"] = IndexOperators.Expand,
        ["Tile"] = IndexOperators.Tile,
        ["Where"] = IndexOperators.Where,
        ["Transpose"] = IndexOperators.Transpose,
        ["GatherND"] = IndexTensorOperators.GatherND,
        ["ScatterND"] = IndexTensorOperators.ScatterND,
        ["ScatterElements"] = IndexTensorOperators.ScatterElements,
        ["Scatter"] = IndexTensorOperators.ScatterElements,
        ["OneHot"] = IndexTensorOperators.OneHot,
        ["Compress"] = IndexTensorOperators.Compress,
        ["Det"] = IndexTensorOperators.Det,
        ["MaxUnpool"] = IndexTensorOperators.MaxUnpool,
        ["ReverseSequence"] = IndexTensorOperators.ReverseSequence,
        ["GridSample"] = IndexTensorOperators.GridSample,
        ["RoiAlign"] = IndexTensorOperators.RoiAlign,
        ["Reshape"] = ReshapeOperators.Reshape,
        ["Flatten"] = ReshapeOperators.Flatten,
        ["Squeeze"] = ReshapeOperators.Squeeze,
        ["Unsqueeze"] = ReshapeOperators.Unsqueeze,
        ["Identity"] = ReshapeOperators.Identity,
        ["Dropout"] = ReshapeOperators.Identity,
        ["Cast"] = ArithmeticOperators.Cast,
        ["Add"] = ArithmeticOperators.Binary,
        ["Sub"] = ArithmeticOperators.Binary,
        ["Mul"] = ArithmeticOperators.Binary,
        ["Div"] = ArithmeticOperators.Binary,
        ["Mod"] = ArithmeticOperators.Binary,
        ["Pow"] = ArithmeticOperators.Binary,
        ["Equal"] = ArithmeticOperators.Binary,
        ["Less"] = ArithmeticOperators.Binary,
        ["LessOrEqual"] = ArithmeticOperators.Binary,
        ["Greater"] = ArithmeticOperators.Binary,
        ["GreaterOrEqual"] = ArithmeticOperators.Binary,
        ["And"] = ArithmeticOperators.Binary,
        ["Or"] = ArithmeticOperators.Binary,
        ["Xor"] = ArithmeticOperators.Binary,
        ["Min"] = ArithmeticOperators.Variadic,
        ["Max"] = ArithmeticOperators.Variadic,
        ["Sum"] = ArithmeticOperators.Variadic,
        ["Neg"] = ArithmeticOperators.Unary,
        ["Abs"] = ArithmeticOperators.Unary,
        ["Not"] = ArithmeticOperators.Unary,
        ["Sign"] = ArithmeticOperators.Unary,
        ["Floor"] = ArithmeticOperators.Unary,
        ["Ceil"] = ArithmeticOperators.Unary,
        ["Round"] = ArithmeticOperators.Unary,
        ["Sqrt"] = ArithmeticOperators.Unary,
        ["Reciprocal"] = ArithmeticOperators.Unary,
        ["ReduceProd"] = ArithmeticOperators.Reduce,
        ["ReduceSum"] = ArithmeticOperators.Reduce,
        ["ReduceMin"] = ArithmeticOperators.Reduce,
        ["ReduceMax"] = ArithmeticOperators.Reduce,
    };

    /// <summary>Operators that need only their first input's shape, not its values.</summary>
    private static readonly HashSet<string> ShapeReaders = ["Shape", "Size"];

    public static IReadOnlyList<string> Names { get; } = [.. Evaluators.Keys.Order(StringComparer.Ordinal)];

    public static bool IsSupported(string opType) => Evaluators.ContainsKey(opType);

    /// <summary>Evaluates the node and defines its outputs as constants when it can be; false leaves it to the runtime planners.</summary>
    public static bool TryEvaluate(NodeContext context)
    {
        var node = context.Node;
        if (!Evaluators.TryGetValue(node.OpType, out var evaluate) || node.Fused.Count > 0 || node.Activation.Kind != Kernels.Conv.ActivationKind.None)
        {
            return false;
        }

        var known = ShapeReaders.Contains(node.OpType)
            ? context.Has(0)
            : Enumerable.Range(0, context.InputCount).All(i => !context.Has(i) || context.Constant(i) is not null);
        if (!known)
        {
            return false;
        }

        var results = evaluate(context);
        for (var i = 0; i < results.Length && i < node.Outputs.Length; i++)
        {
            if (node.Outputs[i].Length > 0)
            {
                Limit(context, results[i]);
                context.OutputConstant(i, results[i]);
            }
        }

        return true;
    }

    private static void Limit(NodeContext context, ConstantTensor value)
    {
        if (value.Length > context.Options.MaxElementsPerTensor)
        {
            throw context.Fail($"the folded constant of shape {TensorShape.Format(value.Dims)} exceeds the limit of {context.Options.MaxElementsPerTensor} elements per tensor");
        }
    }
}
