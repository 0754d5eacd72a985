using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Planning.Constants;
using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Errors;
using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Onnx;

namespace ConvService.Inference.Engine.Planning;

/// <summary>
/// Builds an <see cref="ExecutionPlan"/> for one concrete shape of every input: shape inference and constant folding
/// node by node (a node whose inputs are all constants, or that reads only shapes, is evaluated here and never runs),
/// one step per other operator, then buffer assignment by liveness so values that are no longer needed give their
/// memory to later ones.
/// </summary>
internal sealed class PlanBuilder
{
    private readonly List<int> slotLength = [];
    private readonly List<int> slotRoot = [];
    private readonly List<int> slotDefinedAt = [];
    private readonly List<int> slotLastUse = [];
    private readonly List<Step> steps = [];
    private readonly List<LayerRecord> layers = [];
    private readonly HashSet<int> readsOfNode = [];
    private long parametersOfNode;
    private long macsOfNode;

    private PlanBuilder(ModelGraph graph, int[][] inputShapes, EngineOptions options, Dictionary<GraphNode, ConvPlan> convPlans)
    {
        Graph = graph;
        InputShapes = inputShapes;
        Batch = inputShapes.Length > 0 && inputShapes[0].Length > 0 ? inputShapes[0][0] : 1;
        Options = options;
        ConvPlans = convPlans;
    }

    public ModelGraph Graph { get; }

    /// <summary>Dimension 0 of the first input.</summary>
    public int Batch { get; }

    /// <summary>The concrete shape of every graph input, in the graph's order.</summary>
    public int[][] InputShapes { get; }

    public EngineOptions Options { get; }

    /// <summary>Packed convolutions shared by every batch size of one compiled model.</summary>
    public Dictionary<GraphNode, ConvPlan> ConvPlans { get; }

    public Dictionary<string, PlannedValue> Values { get; } = [];

    public static ExecutionPlan Build(ModelGraph graph, int[][] inputShapes, EngineOptions options, Dictionary<GraphNode, ConvPlan> convPlans) =>
        new PlanBuilder(graph, inputShapes, options, convPlans).Build();

    public int DefineRuntime(string name, int[] shape)
    {
        var slot = NewSlot(shape, -1);
        Values[name] = new PlannedValue(shape, null, slot);
        return slot;
    }

    public void DefineAlias(string name, int sourceSlot, int[] shape)
    {
        if (TensorShape.Elements(shape) != slotLength[sourceSlot])
        {
            throw new PlanningException($"the new shape {TensorShape.Format(shape)} does not hold the {slotLength[sourceSlot]} elements of its input");
        }

        Values[name] = new PlannedValue(shape, null, NewSlot(shape, slotRoot[sourceSlot]));
    }

    public void DefineConstant(string name, ConstantTensor value) => Values[name] = new PlannedValue(value.Dims, value, -1);

    public void MarkRead(int slot) => readsOfNode.Add(slot);

    public void AddStep(Step step, long parameterCount, long multiplyAccumulates)
    {
        steps.Add(step);
        parametersOfNode += parameterCount;
        macsOfNode += multiplyAccumulates;
    }

    private ExecutionPlan Build()
    {
        var inputs = new List<PlannedTensor>();
        for (var i = 0; i < Graph.Inputs.Count; i++)
        {
            var shape = (int[])InputShapes[i].Clone();
            inputs.Add(new PlannedTensor(Graph.Inputs[i].Name, shape, DefineRuntime(Graph.Inputs[i].Name, shape)));
        }

        foreach (var (name, constant) in Graph.Constants)
        {
            if (!Values.ContainsKey(name))
            {
                DefineConstant(name, constant);
            }
        }

        foreach (var node in Graph.Nodes)
        {
            PlanNode(node);
        }

        var outputs = new List<PlannedTensor>();
        foreach (var name in Graph.Outputs)
        {
            var value = Values[name];
            if (value.IsConstant)
            {
                throw ModelProblems.Single($"Graph output '{name}' is a constant that does not depend on the input. Remove it from the graph outputs.");
            }

            outputs.Add(new PlannedTensor(name, value.Shape, value.Slot));
        }

        return Assign(inputs, outputs);
    }

    private void PlanNode(GraphNode node)
    {
        readsOfNode.Clear();
        parametersOfNode = 0;
        macsOfNode = 0;
        var firstStep = steps.Count;
        try
        {
            var context = new NodeContext(this, node);
            LegacyBroadcast.Apply(context);
            if (!ConstantEvaluator.TryEvaluate(context))
            {
                if (!OperatorCatalog.IsSupported(node.OpType))
                {
                    var runtime = node.Inputs.FirstOrDefault(i => i.Length > 0 && Values.TryGetValue(i, out var v) && !v.IsConstant);
                    throw new PlanningException($"{node.OpType} is supported only on constants and shapes (a shape computation), but its input '{runtime}' is computed at run time");
                }

                OperatorCatalog.Plan(context);
                SettleEmptyTensors(node, firstStep);
            }
        }
        catch (Exception e) when (e is PlanningException or KeyNotFoundException or IndexOutOfRangeException or ArgumentException or OverflowException or InvalidCastException)
        {
            // Anything a malformed node can trigger becomes a refusal naming the node, never a crash.
            var reason = e is PlanningException ? e.Message : $"its inputs or attributes are malformed ({e.GetType().Name})";
            var shapes = string.Join(", ", node.Inputs.Where(i => i.Length > 0 && Values.ContainsKey(i)).Select(i => $"'{i}' {TensorShape.Format(Values[i].Shape)}"));
            throw ModelProblems.Single($"Node '{node.Name}' ({node.OpType}) cannot run: {reason}. Input shapes: {shapes}. Check the exporter's output for this node.");
        }

        var lastStep = steps.Count - 1;
        foreach (var slot in readsOfNode)
        {
            var root = slotRoot[slot];
            slotLastUse[root] = Math.Max(slotLastUse[root], Math.Max(lastStep, firstStep));
        }

        if (node.Outputs.Length > 0 && Values.TryGetValue(node.Outputs[0], out var output) && !output.IsConstant)
        {
            var opType = string.Join("+", new[] { node.OpType }.Concat(node.Fused.Select(f => f.OpType)));
            var info = new LayerInfo(node.Name, opType, output.Shape, parametersOfNode, node.Fused.Select(f => f.Name).ToArray(), macsOfNode);
            layers.Add(new LayerRecord(info, lastStep, output.Slot));
        }
    }

    /// <summary>Operators whose steps build a non-empty output from empty inputs correctly (the empty parts copy nothing).</summary>
    private static readonly HashSet<string> EmptyInputReaders = ["Concat"];

    /// <summary>
    /// Empty tensors: a node whose every runtime output has no elements computes nothing, so its steps go; a node
    /// that would read an empty input into a non-empty output is refused unless its steps are known to handle that.
    /// </summary>
    private void SettleEmptyTensors(GraphNode node, int firstStep)
    {
        var outputs = node.Outputs.Where(o => o.Length > 0 && Values.TryGetValue(o, out var v) && !v.IsConstant).Select(o => Values[o]).ToList();
        if (outputs.Count > 0 && outputs.All(o => TensorShape.Elements(o.Shape) == 0))
        {
            steps.RemoveRange(firstStep, steps.Count - firstStep);
            return;
        }

        var empty = node.Inputs.FirstOrDefault(i => i.Length > 0 && Values.TryGetValue(i, out var v) && !v.IsConstant && TensorShape.Elements(v.Shape) == 0);
        if (empty is not null && steps.Count > firstStep && !EmptyInputReaders.Contains(node.OpType))
        {
            throw new PlanningException($"its input '{empty}' is empty ({TensorShape.Format(Values[empty].Shape)}) but its output is not, which {node.OpType} does not support");
        }
    }

    private int NewSlot(int[] shape, int root)
    {
        long elements = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new PlanningException($"a dimension of {TensorShape.Format(shape)} is negative");
            }

            elements *= d;
            if (elements > Options.MaxElementsPerTensor)
            {
                throw new PlanningException($"an intermediate tensor of shape {TensorShape.Format(shape)} exceeds the limit of {Options.MaxElementsPerTensor} elements per tensor");
            }
        }

        var slot = slotLength.Count;
        slotLength.Add((int)elements);
        slotRoot.Add(root < 0 ? slot : root);
        slotDefinedAt.Add(steps.Count);
        slotLastUse.Add(-1);
        return slot;
    }

    private ExecutionPlan Assign(List<PlannedTensor> inputs, List<PlannedTensor> outputs)
    {
        foreach (var input in inputs)
        {
            slotDefinedAt[input.Slot] = -1;
        }

        foreach (var output in outputs)
        {
            slotLastUse[slotRoot[output.Slot]] = int.MaxValue;
        }

        var roots = Enumerable.Range(0, slotLength.Count).Where(s => slotRoot[s] == s).ToList();
        var rootLength = new Dictionary<int, int>();
        for (var s = 0; s < slotLength.Count; s++)
        {
            rootLength[slotRoot[s]] = Math.Max(rootLength.GetValueOrDefault(slotRoot[s]), slotLength[s]);
        }

        var bufferSizes = new List<int>();
        var free = new List<int>();
        var bufferOfRoot = new Dictionary<int, int>();
        for (var t = -1; t <= steps.Count; t++)
        {
            foreach (var root in roots.Where(r => slotDefinedAt[r] == t || (t == steps.Count && slotDefinedAt[r] > t)))
            {
                bufferOfRoot[root] = Take(rootLength[root], bufferSizes, free);
            }

            foreach (var root in roots.Where(r => Math.Max(slotLastUse[r], slotDefinedAt[r]) == t))
            {
                free.Add(bufferOfRoot[root]);
            }
        }

        var slotBuffer = new int[slotLength.Count];
        for (var s = 0; s < slotBuffer.Length; s++)
        {
            slotBuffer[s] = bufferOfRoot[slotRoot[s]];
        }

        var scratch = steps.Count == 0 ? 0 : steps.Max(s => s.ScratchFloats);
        var total = bufferSizes.Sum(b => (long)b) + scratch;
        if (total > Options.MaxTotalElements)
        {
            throw new ConvServiceException(
                ErrorKind.OverLimit,
                "The model needs too much memory",
                $"At batch {Batch} (input shapes {string.Join(", ", InputShapes.Select(s => TensorShape.Format(s)))}) the model needs {total} floats ({total * sizeof(float) / (1024 * 1024)} MiB) of activations, more than the limit of {Options.MaxTotalElements} floats ({Options.MaxTotalElementsSetting}). Use a smaller batch or input, or raise the limit.");
        }

        return new ExecutionPlan(Batch, [.. steps], slotBuffer, [.. slotLength], [.. bufferSizes], scratch, [.. inputs], [.. outputs], [.. layers]);
    }

    /// <summary>Best fit among free buffers; otherwise grow the largest free one; otherwise a new buffer.</summary>
    private static int Take(int length, List<int> sizes, List<int> free)
    {
        var best = -1;
        foreach (var b in free)
        {
            if (sizes[b] >= length && (best < 0 || sizes[b] < sizes[best]))
            {
                best = b;
            }
        }

        if (best < 0 && free.Count > 0)
        {
            best = free.MaxBy(b => sizes[b]);
            sizes[best] = length;
        }

        if (best < 0)
        {
            sizes.Add(length);
            return sizes.Count - 1;
        }

        free.Remove(best);
        return best;
    }
}
