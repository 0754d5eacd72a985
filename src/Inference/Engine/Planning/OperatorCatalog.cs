using ConvService.Inference.Engine.Planning.Operators;

namespace ConvService.Inference.Engine.Planning;

/// <summary>Every supported ONNX operator and the planner that turns one node of it into steps.</summary>
internal static class OperatorCatalog
{
    private static readonly Dictionary<string, Action<NodeContext>> Planners = new()
    {
        ["Conv"] = ConvPlanner.Plan,
        ["BatchNormalization"] = NormalizationPlanner.BatchNormalization,
        ["LRN"] = NormalizationPlanner.Lrn,
        ["Softmax"] = FeatureNormalizationPlanner.SoftmaxVariant,
        ["Relu"] = ActivationPlanner.Plan,
        ["LeakyRelu"] = ActivationPlanner.Plan,
        ["Clip"] = ActivationPlanner.Plan,
        ["Sigmoid"] = ActivationPlanner.Plan,
        ["HardSigmoid"] = ActivationPlanner.Plan,
        ["HardSwish"] = ActivationPlanner.Plan,
        ["Tanh"] = ActivationPlanner.Plan,
        ["MaxPool"] = PoolPlanner.Pool,
        ["AveragePool"] = PoolPlanner.Pool,
        ["GlobalAveragePool"] = PoolPlanner.GlobalPool,
        ["GlobalMaxPool"] = PoolPlanner.GlobalPool,
        ["Add"] = ElementwisePlanner.Binary,
        ["Sub"] = ElementwisePlanner.Binary,
        ["Mul"] = ElementwisePlanner.Binary,
        ["Div"] = ElementwisePlanner.Binary,
        ["Gemm"] = LinearPlanner.Gemm,
        ["MatMul"] = LinearPlanner.MatMul,
        ["Concat"] = LayoutPlanner.Concat,
        ["Split"] = LayoutPlanner.Split,
        ["Transpose"] = LayoutPlanner.Transpose,
        ["Pad"] = LayoutPlanner.Pad,
        ["Flatten"] = ReshapePlanner.Flatten,
        ["Reshape"] = ReshapePlanner.Reshape,
        ["Squeeze"] = ReshapePlanner.Squeeze,
        ["Unsqueeze"] = ReshapePlanner.Unsqueeze,
        ["Identity"] = ReshapePlanner.Identity,
        ["Dropout"] = ReshapePlanner.Identity,
        ["Gather"] = DataMovementPlanner.Gather,
        ["GatherElements"] = DataMovementPlanner.GatherElements,
        ["GatherND"] = IndexingPlanner.GatherND,
        ["ScatterND"] = IndexingPlanner.ScatterND,
        ["ScatterElements"] = IndexingPlanner.ScatterElements,
        ["Scatter"] = IndexingPlanner.ScatterElements,
        ["OneHot"] = IndexingPlanner.OneHot,
        ["Compress"] = IndexingPlanner.Compress,
        ["Det"] = LinearAlgebraPlanner.Det,
        ["MaxUnpool"] = IndexingPlanner.MaxUnpool,
        ["ReverseSequence"] = IndexingPlanner.ReverseSequence,
        ["GridSample"] = SamplingPlanner.GridSample,
        ["RoiAlign"] = SamplingPlanner.RoiAlign,
        ["Constant"] = _ => { },

        // Spatial and data-movement operators on runtime tensors.
        ["ConvTranspose"] = ConvTransposePlanner.Plan,
        ["Resize"] = ResizePlanner.Plan,
        ["Upsample"] = ResizePlanner.Plan,
        ["LpPool"] = PoolPlanner.Pool,
        ["GlobalLpPool"] = PoolPlanner.GlobalPool,
        ["Slice"] = DataMovementPlanner.Slice,
        ["Expand"] = DataMovementPlanner.Expand,
        ["Tile"] = DataMovementPlanner.Tile,
        ["DepthToSpace"] = DataMovementPlanner.DepthToSpace,
        ["SpaceToDepth"] = DataMovementPlanner.SpaceToDepth,
        ["Cast"] = DataMovementPlanner.Cast,
        ["Equal"] = LogicPlanner.Plan,
        ["Less"] = LogicPlanner.Plan,
        ["Greater"] = LogicPlanner.Plan,
        ["LessOrEqual"] = LogicPlanner.Plan,
        ["GreaterOrEqual"] = LogicPlanner.Plan,
        ["And"] = LogicPlanner.Plan,
        ["Or"] = LogicPlanner.Plan,
        ["Xor"] = LogicPlanner.Plan,
        ["Not"] = LogicPlanner.Plan,
        ["Where"] = LogicPlanner.Plan,
    };

    static OperatorCatalog()
    {
        // The math operator set: element-wise functions, reductions and normalisations by runtime statistics.
        foreach (var (opType, planner) in MathPlanner.Operators.Concat(ReductionPlanner.Operators).Concat(FeatureNormalizationPlanner.Operators))
        {
            Planners[opType] = planner;
        }

        Names = [.. Planners.Keys.Order(StringComparer.Ordinal)];
    }

    public static IReadOnlyList<string> Names { get; }

    public static bool IsSupported(string opType) => Planners.ContainsKey(opType);

    public static void Plan(NodeContext context) => Planners[context.Node.OpType](context);
}
