namespace ConvService.Inference.Serving.Execution;

/// <summary>A copy of one layer's output for one image, with its shape (batch 1 first).</summary>
public sealed record ActivationResult(string Layer, IReadOnlyList<int> Shape, float[] Values)
{
    /// <summary>How long the image waited for a worker and how long its run took.</summary>
    public RunTiming Timing { get; init; }
}
