namespace ConvService.Inference.Serving.Execution;

/// <summary>A request waited and ran longer than the configured timeout; its queued work was dropped (HTTP 504).</summary>
public sealed class RequestTimeoutException(string model, TimeSpan timeout)
    : Exception($"Model '{model}' did not answer within {timeout.TotalMilliseconds:0} ms; the request was dropped from its queue. Retry later or with fewer concurrent requests.")
{
    public string Model { get; } = model;

    public TimeSpan Timeout { get; } = timeout;
}
