namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// The executor of a version that is no longer served (replaced, deleted, or the service stopping) was asked to
/// queue new work: HTTP 503, and a retry reaches the current version.
/// </summary>
public sealed class ModelRetiredException(string model)
    : Exception($"This version of model '{model}' is no longer served: it was replaced or deleted, or the service is stopping. Retry to reach the current version.")
{
    public string Model { get; } = model;
}
