namespace ConvService.Inference.Serving.Execution;

/// <summary>Every graph output for one image: its values and its shape without the batch dimension.</summary>
public sealed record ImageResult(float[][] Outputs, int[][] OutputShapes)
{
    /// <summary>How long the image waited for a worker and how long its run took.</summary>
    public RunTiming Timing { get; init; }
}
