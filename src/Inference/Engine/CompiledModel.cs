using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Planning;
using ConvService.Inference.Errors;
using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Engine;

/// <summary>
/// A validated model with its weights packed, ready to run. Thread-safe: create one <see cref="ModelSession"/> per
/// concurrent caller; sessions of the same batch size share the plan, all share the packed weights.
/// </summary>
public sealed class CompiledModel
{
    private readonly ModelGraph graph;
    private readonly Dictionary<GraphNode, ConvPlan> convPlans = [];
    private readonly Dictionary<int, ExecutionPlan> plans = [];
    private readonly Lock planLock = new();

    internal CompiledModel(ModelGraph graph, EngineOptions options)
    {
        this.graph = graph;
        Options = options;
        var listing = PlanFor(DeclaredBatch);
        Inputs = listing.Inputs.Select(i => new TensorInfo(i.Name, i.Shape, graph.Inputs.First(g => g.Name == i.Name).BatchSymbol)).ToArray();
        var symbol = Inputs.Count > 0 ? Inputs[0].BatchSymbol : null;
        Outputs = listing.Outputs.Select(o => new TensorInfo(o.Name, o.Shape, symbol)).ToArray();
        Layers = listing.Layers.Select(l => l.Info).ToArray();
    }

    public EngineOptions Options { get; }

    /// <summary>Runtime inputs, shapes at the model's declared batch (1 when symbolic).</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>The executed layers in order, after folding and fusion.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>The batch the file fixes, or 1 when its batch dimension is symbolic.</summary>
    public int DeclaredBatch => graph.Inputs.Count > 0 && graph.Inputs[0].Dims[0] > 0 ? graph.Inputs[0].Dims[0] : 1;

    /// <summary>Total weights after folding.</summary>
    public long ParameterCount => Layers.Sum(l => l.ParameterCount);

    /// <summary>A session owning all buffers for <paramref name="batch"/> images; dispose it to return them to the pool.</summary>
    public ModelSession CreateSession(int batch = 1)
    {
        if (batch < 1 || batch > Options.MaxBatch)
        {
            throw ConvServiceException.BadRequest("Invalid batch size", $"Batch size {batch} is outside 1 to {Options.MaxBatch}. Send between 1 and {Options.MaxBatch} images.");
        }

        return new ModelSession(PlanFor(batch), Options.DegreeOfParallelism);
    }

    internal ExecutionPlan PlanFor(int batch)
    {
        lock (planLock)
        {
            if (!plans.TryGetValue(batch, out var plan))
            {
                plan = PlanBuilder.Build(graph, batch, Options, convPlans);
                plans[batch] = plan;
            }

            return plan;
        }
    }
}
