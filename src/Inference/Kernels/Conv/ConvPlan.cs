namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// One convolution, prepared once (algorithm choice, packed weights, scratch size) and executed many times
/// without allocating. Create it at model load; call <see cref="Execute"/> per inference.
/// </summary>
public sealed class ConvPlan
{
    private readonly float[] weights;
    private readonly float[] bias;

    private ConvPlan(ConvGeometry geometry, float[] weights, float[] bias, FusedActivation activation, int degreeOfParallelism)
    {
        Geometry = geometry;
        this.weights = weights;
        this.bias = bias;
        Activation = activation;
        DegreeOfParallelism = degreeOfParallelism;
    }

    public ConvGeometry Geometry { get; }

    public FusedActivation Activation { get; }

    public int DegreeOfParallelism { get; }

    /// <summary>The algorithm chosen for this geometry, for reports and benchmarks.</summary>
    public string Algorithm => "reference";

    public static ConvPlan Create(
        in ConvGeometry geometry,
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias,
        FusedActivation activation,
        int degreeOfParallelism = 1) =>
        new(geometry, weights.ToArray(), bias.ToArray(), activation, Math.Max(1, degreeOfParallelism));

    /// <summary>Floats of scratch <see cref="Execute"/> needs for a batch of <paramref name="batch"/> images.</summary>
    public int ScratchFloats(int batch) => 0;

    public void Execute(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch, int batch) =>
        ConvReference.Run(Geometry, input, weights, bias, Activation, output, batch);
}
