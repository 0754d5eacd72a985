using System.ComponentModel.DataAnnotations;
using ConvService.Inference.Serving.Execution;

namespace ConvService.Api.Models;

/// <summary>The model repository and how models are run; bound from <c>ConvService:Models</c> and checked at start-up.</summary>
public sealed class ModelsOptions
{
    public const string Section = "ConvService:Models";

    /// <summary>Repository root (one folder per model). Empty: a <c>models</c> folder next to the app, else at the repository root.</summary>
    public string? Path { get; set; }

    /// <summary>Seconds between scans for new, changed and removed model folders; 0 turns polling off.</summary>
    [Range(0, 3600)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>Key for PUT and DELETE (header X-Api-Key). Empty: uploads and deletions are disabled.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest ONNX upload in bytes (separate from ConvService:Limits:MaxRequestBytes, which is for images).</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024 - 1)]
    public long MaxModelBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// How many threads each model run gets: Adaptive (a run alone gets all <see cref="IntraOpThreads"/>, concurrent
    /// runs share them, so requests run side by side under load) or Fixed (every run gets all of them).
    /// </summary>
    public IntraOpPolicy IntraOpPolicy { get; set; } = IntraOpPolicy.Adaptive;

    /// <summary>Threads the model runs share (Adaptive) or each run uses (Fixed); 0 means one per core.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>Sessions per model; 0 means one per core.</summary>
    [Range(0, 256)]
    public int PoolSize { get; set; }

    /// <summary>Run requests that arrive within <see cref="BatchWindowMs"/> of each other as one batch.</summary>
    public bool Batching { get; set; } = true;

    [Range(0, 1000)]
    public double BatchWindowMs { get; set; } = 2;

    [Range(1, 256)]
    public int MaxBatch { get; set; } = 8;

    /// <summary>
    /// Execution plans kept per model, one per input shape (models with open image sizes plan each new size once;
    /// the least recently used plan goes first).
    /// </summary>
    [Range(1, 1024)]
    public int MaxPlansPerModel { get; set; } = 8;

    /// <summary>Requests waiting per model before new ones get 503 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int QueueLimit { get; set; } = 64;

    /// <summary>A request still unanswered after this long gets 504 and its queued work is dropped.</summary>
    [Range(1, 3_600_000)]
    public int RequestTimeoutMs { get; set; } = 30_000;

    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// Built-in lecture networks (names from GET /api/networks, comma separated) served with seeded random weights,
    /// so their activation maps can be looked at; built in the background after start-up. Empty for none.
    /// </summary>
    public string LectureNetworks { get; set; } = "lenet5,alexnet,googlenet,resnet18,resnet50";

    /// <summary>Seed of the lecture networks' random weights: the same seed gives the same weights on every replica.</summary>
    public int LectureSeed { get; set; } = 1;

    public int EffectiveIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;

    /// <summary>The executors' settings; every model made with them shares one <see cref="ThreadBudget"/>.</summary>
    public ServingOptions ToServing() => new()
    {
        Threads = new ThreadBudget(EffectiveIntraOpThreads, IntraOpPolicy),
        PoolSize = PoolSize,
        Batching = Batching,
        BatchWindow = TimeSpan.FromMilliseconds(BatchWindowMs),
        MaxBatch = MaxBatch,
        QueueLimit = QueueLimit,
        RequestTimeout = TimeSpan.FromMilliseconds(RequestTimeoutMs),
        RetryAfter = TimeSpan.FromSeconds(RetryAfterSeconds),
    };
}
