namespace ConvService.Inference.Serving.Execution;

/// <summary>One image waiting for a worker: the whole model (Layer null) or up to one layer.</summary>
internal sealed class WorkItem(float[] input, string? layer)
{
    private readonly TaskCompletionSource<object> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public float[] Input { get; } = input;

    public string? Layer { get; } = layer;

    /// <summary>When it was queued (Stopwatch ticks), for the queue wait metric.</summary>
    public long EnqueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public Task<object> Result => completion.Task;

    /// <summary>Answered, failed or abandoned: a worker that dequeues it skips it.</summary>
    public bool IsDone => completion.Task.IsCompleted;

    public void Complete(object result) => completion.TrySetResult(result);

    public void Fail(Exception error) => completion.TrySetException(error);

    public void Cancel() => completion.TrySetCanceled();
}
