namespace ConvService.Inference.Serving.Execution;

/// <summary>How one model's requests are queued, batched and run.</summary>
public sealed record ServingOptions
{
    /// <summary>Sessions (and worker loops) per model; 0 means one per core.</summary>
    public int PoolSize { get; init; }

    /// <summary>Whether requests arriving close together are run as one batch.</summary>
    public bool Batching { get; init; } = true;

    /// <summary>How long the first request of a batch waits for company.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Most images run together; also the largest session batch kept per worker.</summary>
    public int MaxBatch { get; init; } = 8;

    /// <summary>Sessions (one per batch size) a worker keeps; the least recently used is dropped beyond this.</summary>
    public int SessionsPerWorker { get; init; } = 4;

    /// <summary>Requests waiting per model beyond which new ones are refused (503), so latency stays bounded.</summary>
    public int QueueLimit { get; init; } = 64;

    /// <summary>How long a request may wait and run before it is answered 504 and its queued work dropped.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What a refused client is told to wait before retrying.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The threads model runs share (adaptive policy) or each use (fixed), shared by every executor made with these
    /// options. A model runs on at most its own <see cref="Engine.EngineOptions.DegreeOfParallelism"/>, so the service
    /// plans its models for <see cref="ThreadBudget.Threads"/>.
    /// </summary>
    public ThreadBudget Threads { get; init; } = ThreadBudget.PerCore();

    public int EffectivePoolSize => PoolSize > 0 ? PoolSize : Environment.ProcessorCount;
}
