namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// A request waited and ran longer than the configured timeout; its queued work was dropped (HTTP 504). The detail
/// gives the time it really took and how much of it was spent in the queue.
/// </summary>
public sealed class RequestTimeoutException(string model, TimeSpan timeout, TimeSpan waited, TimeSpan queued)
    : Exception(
        $"Model '{model}' did not answer within {timeout.TotalMilliseconds:0} ms (the request waited {waited.TotalMilliseconds:0} ms, "
        + $"{queued.TotalMilliseconds:0} of them in the queue); it was dropped from its queue. Retry later or with fewer concurrent requests.")
{
    public string Model { get; } = model;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>From the request's arrival at the queue to its answer.</summary>
    public TimeSpan Waited { get; } = waited;

    /// <summary>The part of <see cref="Waited"/> spent before a worker began it.</summary>
    public TimeSpan Queued { get; } = queued;
}
