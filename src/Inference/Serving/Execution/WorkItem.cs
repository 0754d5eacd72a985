namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// One image waiting for a worker: a value per model input with its shape without the batch, run through the whole
/// model (Layer null) or up to one layer. Only items of equal shapes run together as a batch.
/// </summary>
internal sealed class WorkItem(float[][] inputs, int[][] imageShapes, string? layer)
{
    private readonly TaskCompletionSource<object> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public float[][] Inputs { get; } = inputs;

    public int[][] ImageShapes { get; } = imageShapes;

    /// <summary>Equal for items whose inputs have equal shapes.</summary>
    public string ShapeKey { get; } = string.Join("|", imageShapes.Select(s => string.Join("x", s)));

    public string? Layer { get; } = layer;

    /// <summary>When it was queued (Stopwatch ticks), for the queue wait metric.</summary>
    public long EnqueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    private long startedAt;

    /// <summary>How long it waited for a worker, up to <paramref name="now"/> (Stopwatch ticks) if it has not begun.</summary>
    public TimeSpan QueuedUntil(long now) => System.Diagnostics.Stopwatch.GetElapsedTime(EnqueuedAt, Volatile.Read(ref startedAt) is var at and not 0 ? Math.Min(at, now) : now);

    public Task<object> Result => completion.Task;

    /// <summary>A worker has begun to run it.</summary>
    public void Started() => Volatile.Write(ref startedAt, System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>Answered, failed or abandoned: a worker that dequeues it skips it.</summary>
    public bool IsDone => completion.Task.IsCompleted;

    public void Complete(object result) => completion.TrySetResult(result);

    public void Fail(Exception error) => completion.TrySetException(error);

    public void Cancel() => completion.TrySetCanceled();
}
