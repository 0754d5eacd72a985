namespace ConvService.Inference.Serving.Execution;

/// <summary>The model's queue is full: the caller should retry after <see cref="RetryAfter"/> (HTTP 503).</summary>
public sealed class ServerBusyException(string model, int queueLimit, TimeSpan retryAfter)
    : Exception($"Model '{model}' already has {queueLimit} requests waiting. Retry after {Math.Ceiling(retryAfter.TotalSeconds)} s or send fewer requests at once.")
{
    public string Model { get; } = model;

    public TimeSpan RetryAfter { get; } = retryAfter;
}
