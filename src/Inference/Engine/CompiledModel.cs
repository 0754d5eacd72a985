using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Planning;
using ConvService.Inference.Errors;
using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Engine;

/// <summary>
/// A validated model with its weights packed, ready to run. Thread-safe: create one <see cref="ModelSession"/> per
/// concurrent caller. A plan is built for each concrete input shape and cached (at most
/// <see cref="EngineOptions.MaxPlansPerModel"/>, least recently used out); sessions of the same shapes share it.
/// </summary>
public sealed class CompiledModel
{
    /// <summary>Open image dimensions are listed at this size; a second plan at <see cref="ProbeSize"/> shows which output dimensions follow them.</summary>
    public const int ListingSize = 224;

    private const int ProbeSize = 256;

    private readonly ModelGraph graph;
    private readonly Dictionary<GraphNode, ConvPlan> convPlans = [];
    private readonly PlanCache plans;
    private readonly int[][] listingShapes;

    internal CompiledModel(ModelGraph graph, EngineOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPlansPerModel, 1, nameof(options.MaxPlansPerModel));
        this.graph = graph;
        Options = options;
        plans = new PlanCache(options.MaxPlansPerModel);
        listingShapes = graph.Inputs.Select(i => Concrete(i, null, ListingSize)).ToArray();
        var listing = PlanFor(listingShapes);
        var outputShapes = listing.Outputs.Select(o => (int[])o.Shape.Clone()).ToArray();
        if (graph.Inputs.Any(i => i.HasSymbolicImageDims))
        {
            MarkOpenDimensions(outputShapes);
        }

        Inputs = graph.Inputs.Select((g, k) => new TensorInfo(g.Name, g.Dims.Select((d, i) => i == 0 ? listingShapes[k][0] : d).ToArray(), g.BatchSymbol)).ToArray();
        var symbol = Inputs.Count > 0 ? Inputs[0].BatchSymbol : null;
        Outputs = listing.Outputs.Select((o, k) => new TensorInfo(o.Name, outputShapes[k], symbol)).ToArray();
        Layers = listing.Layers.Select(l => l.Info).ToArray();
    }

    public EngineOptions Options { get; }

    /// <summary>
    /// Runtime inputs: the batch at the model's declared batch (1 when symbolic, named by BatchSymbol), other open
    /// dimensions -1.
    /// </summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>Outputs; a dimension that follows an open input dimension is -1.</summary>
    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>The executed layers in order, after folding and fusion, with output shapes at <see cref="ListingShapes"/>.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>The input shapes the listing was planned at: the declared batch, and <see cref="ListingSize"/> for open image dimensions.</summary>
    public IReadOnlyList<IReadOnlyList<int>> ListingShapes => listingShapes;

    /// <summary>The batch the file fixes, or 1 when its batch dimension is symbolic.</summary>
    public int DeclaredBatch => graph.Inputs.Count > 0 && graph.Inputs[0].Dims[0] >= 0 ? graph.Inputs[0].Dims[0] : 1;

    /// <summary>An input dimension other than the batch is open, so sessions need concrete input shapes.</summary>
    public bool HasDynamicInputs => graph.Inputs.Any(i => i.HasSymbolicImageDims);

    /// <summary>Total weights after folding.</summary>
    public long ParameterCount => Layers.Sum(l => l.ParameterCount);

    /// <summary>Plans currently cached (one per concrete input shape seen recently).</summary>
    public int CachedPlanCount => plans.Count;

    /// <summary>
    /// A session owning all buffers for <paramref name="batch"/> images of the declared size; dispose it to return
    /// them to the pool. Models with open image dimensions need <see cref="CreateSession(IReadOnlyList{IReadOnlyList{int}})"/>.
    /// </summary>
    public ModelSession CreateSession(int batch = 1)
    {
        CheckBatch(batch);
        if (graph.Inputs.FirstOrDefault(i => i.HasSymbolicImageDims) is { } open)
        {
            throw ConvServiceException.InvalidInput(
                "Input shape needed",
                $"Input '{open.Name}' has open dimensions {Describe(open)}; give the concrete shape of every input to create a session.");
        }

        var shapes = graph.Inputs.Select(i => Concrete(i, batch, ListingSize)).ToArray();
        return new ModelSession(ForRequest(shapes), Options.DegreeOfParallelism);
    }

    /// <summary>
    /// A session for concrete shapes, one per input in the order of <see cref="Inputs"/>. Fixed dimensions must match
    /// the model's (the batch, dimension 0, may be anything from 0 to <see cref="EngineOptions.MaxBatch"/>); open
    /// ones may take any size the model's operators accept, 0 (an empty tensor) included.
    /// </summary>
    public ModelSession CreateSession(IReadOnlyList<IReadOnlyList<int>> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count != graph.Inputs.Count)
        {
            throw ConvServiceException.InvalidInput(
                "Wrong number of inputs",
                $"The model has {graph.Inputs.Count} input(s) ({string.Join(", ", graph.Inputs.Select(i => $"'{i.Name}' {Describe(i)}"))}); give one shape for each.");
        }

        var shapes = new int[inputShapes.Count][];
        for (var k = 0; k < shapes.Length; k++)
        {
            shapes[k] = CheckShape(graph.Inputs[k], inputShapes[k]);
        }

        return new ModelSession(ForRequest(shapes), Options.DegreeOfParallelism);
    }

    internal ExecutionPlan PlanFor(int[][] shapes) => plans.GetOrBuild(shapes, s => PlanBuilder.Build(graph, s, Options, convPlans));

    /// <summary>The input's shape with open dimensions at <paramref name="openSize"/>; the batch given, or else the declared one (1 when open).</summary>
    private static int[] Concrete(GraphInput input, int? batch, int openSize) =>
        input.Dims.Select((d, i) => i == 0 ? batch ?? (d >= 0 ? d : 1) : d >= 0 ? d : openSize).ToArray();

    private static string Describe(GraphInput input) =>
        "[" + string.Join(", ", input.Dims.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : input.Symbols[i])) + "]";

    /// <summary>A plan for a caller's shapes: a shape the model's operators cannot take is the request's fault (400), not the model's.</summary>
    private ExecutionPlan ForRequest(int[][] shapes)
    {
        try
        {
            return PlanFor(shapes);
        }
        catch (ConvServiceException e) when (e.Kind == ErrorKind.DoesNotFit)
        {
            throw new ConvServiceException(
                ErrorKind.InvalidInput,
                "Input shape not supported",
                $"The model cannot run on input shape(s) {string.Join(", ", shapes.Select(s => TensorShape.Format(s)))}: {e.Message} Use a shape the model accepts, such as {string.Join(", ", listingShapes.Select(s => TensorShape.Format(s)))}.",
                e.Extensions);
        }
    }

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > Options.MaxBatch)
        {
            throw ConvServiceException.InvalidInput("Invalid batch size", $"Batch size {batch} is outside 1 to {Options.MaxBatch}. Send between 1 and {Options.MaxBatch} images.");
        }
    }

    private int[] CheckShape(GraphInput input, IReadOnlyList<int> shape)
    {
        if (shape is null || shape.Count != input.Dims.Length)
        {
            throw ConvServiceException.InvalidInput(
                "Wrong input rank",
                $"Input '{input.Name}' was given shape [{string.Join(", ", shape ?? [])}] but the model declares {Describe(input)}; give {input.Dims.Length} dimensions.");
        }

        // An empty batch (0) is an empty tensor, valid like any other zero dimension.
        if (shape[0] != 0)
        {
            CheckBatch(shape[0]);
        }

        long elements = 1;
        for (var i = 0; i < shape.Count; i++)
        {
            if (i > 0 && input.Dims[i] >= 0 && shape[i] != input.Dims[i])
            {
                throw ConvServiceException.InvalidInput(
                    "Wrong input shape",
                    $"Input '{input.Name}' was given shape [{string.Join(", ", shape)}] but the model fixes dimension {i} at {input.Dims[i]} ({Describe(input)}).");
            }

            if (shape[i] < 0)
            {
                throw ConvServiceException.InvalidInput("Wrong input shape", $"Input '{input.Name}' was given shape [{string.Join(", ", shape)}]; a dimension is negative (0, an empty tensor, is allowed).");
            }

            elements *= shape[i];
            if (elements > Options.MaxElementsPerTensor)
            {
                throw ConvServiceException.OverLimit(
                    "Input too large",
                    $"Input '{input.Name}' of shape [{string.Join(", ", shape)}] has more than the limit of {Options.MaxElementsPerTensor} elements per tensor (MaxElementsPerTensor). Send a smaller input.");
            }
        }

        return [.. shape];
    }

    /// <summary>Output dimensions (after the batch) that differ between two sizes of the open input dimensions become -1.</summary>
    private void MarkOpenDimensions(int[][] outputShapes)
    {
        int[][]? probed;
        try
        {
            var probe = PlanFor(graph.Inputs.Select(i => Concrete(i, null, ProbeSize)).ToArray());
            probed = probe.Outputs.Select(o => o.Shape).ToArray();
        }
        catch (ConvServiceException)
        {
            probed = null; // The model takes only some sizes: no output dimension is known in general.
        }

        for (var k = 0; k < outputShapes.Length; k++)
        {
            for (var d = 1; d < outputShapes[k].Length; d++)
            {
                if (probed is null || probed[k].Length != outputShapes[k].Length || probed[k][d] != outputShapes[k][d])
                {
                    outputShapes[k][d] = -1;
                }
            }
        }
    }
}
