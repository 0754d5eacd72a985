using System.Diagnostics;
using System.Threading.Channels;
using ConvService.Inference.Engine;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// Runs one model for many concurrent callers: a bounded queue feeds a fixed pool of workers, each owning its
/// sessions. With batching on, a worker that picks up a request waits up to the batch window for more and runs
/// them as one batch through a session of that batch size; it waits only while other requests are pending, so a
/// lone caller pays no delay. Each worker caches its sessions per batch size (<see cref="SessionCache"/>).
/// </summary>
public sealed class ModelExecutor : IAsyncDisposable
{
    private readonly CompiledModel model;
    private readonly Channel<WorkItem> queue;
    private readonly Task[] workers;
    private readonly int imageFloats;
    private readonly long windowTicks;
    private long batchesRun;
    private long imagesRun;
    private int largestBatch;
    private int pending;
    private int disposed;

    public ModelExecutor(string name, CompiledModel model, ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        this.model = model;
        Options = options with { MaxBatch = Math.Clamp(options.MaxBatch, 1, model.Options.MaxBatch) };
        imageFloats = model.Inputs[0].ElementsPerImage;
        windowTicks = (long)(Options.BatchWindow.TotalSeconds * Stopwatch.Frequency);
        queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(Math.Max(1, Options.QueueLimit))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
        workers = new Task[Options.EffectivePoolSize];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(WorkAsync);
        }
    }

    public string Name { get; }

    public ServingOptions Options { get; }

    /// <summary>Model runs so far (a batch cut into pieces counts once per piece).</summary>
    public long BatchesRun => Interlocked.Read(ref batchesRun);

    public long ImagesRun => Interlocked.Read(ref imagesRun);

    public int LargestBatch => Volatile.Read(ref largestBatch);

    /// <summary>Requests waiting for a worker (abandoned ones included until a worker skips them).</summary>
    public int Queued => queue.Reader.Count;

    /// <summary>Callers still waiting for an answer (queued or running).</summary>
    internal int Pending => Volatile.Read(ref pending);

    /// <summary>Called by a worker just before it runs work; tests hold workers here to fill the queue deterministically.</summary>
    internal Action? BeforeRun { get; set; }

    /// <summary>Runs the whole model on one image (C*H*W floats); returns each graph output for that image.</summary>
    public async Task<float[][]> RunAsync(float[] image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length != imageFloats)
        {
            var shape = model.Inputs[0].Shape;
            throw ConvServiceException.Unprocessable(
                "Wrong input shape",
                $"The input has {image.Length} values but model '{Name}' expects {imageFloats} per image ({string.Join("x", shape.Skip(1))}, CxHxW).");
        }

        return (float[][])await EnqueueAsync(new WorkItem(image, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one image up to <paramref name="layer"/> and returns a copy of that layer's output.</summary>
    public async Task<ActivationResult> ActivationsAsync(string layer, float[] image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return (ActivationResult)await EnqueueAsync(new WorkItem(image, layer), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        // Queued requests are still answered; the workers then free their sessions.
        queue.Writer.TryComplete();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task<object> EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.RequestTimeout);
        Interlocked.Increment(ref pending);
        if (Volatile.Read(ref disposed) == 1 || !queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref pending);
            throw new ServerBusyException(Name, Options.QueueLimit, Options.RetryAfter);
        }

        ServingMetrics.QueueDepth.Add(1, ServingMetrics.Model(Name));

        // Cancelling marks the item done, so a worker that dequeues it later skips it.
        await using var registration = deadline.Token.Register(item.Cancel).ConfigureAwait(false);
        try
        {
            return await item.Result.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RequestTimeoutException(Name, Options.RequestTimeout);
        }
        catch (OperationCanceledException)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref pending);
            ServingMetrics.QueueDepth.Add(-1, ServingMetrics.Model(Name));
        }
    }

    private async Task WorkAsync()
    {
        using var sessions = new SessionCache(model, Options.SessionsPerWorker);
        var batch = new List<WorkItem>(Options.MaxBatch);
        var deferred = new List<WorkItem>();
        var staging = new float[Options.MaxBatch * imageFloats];
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (!reader.TryRead(out var first) || first.IsDone)
            {
                continue;
            }

            if (first.Layer is not null)
            {
                BeforeRun?.Invoke();
                RunActivation(first, sessions);
                continue;
            }

            batch.Clear();
            deferred.Clear();
            batch.Add(first);
            if (Options.Batching && Options.MaxBatch > 1)
            {
                await FillAsync(reader, batch, deferred).ConfigureAwait(false);
            }

            BeforeRun?.Invoke();
            RunBatch(batch, sessions, staging);
            foreach (var item in deferred)
            {
                RunActivation(item, sessions);
            }
        }
    }

    /// <summary>Takes whatever is queued, then waits out the window for more, until the batch is full.</summary>
    private async Task FillAsync(ChannelReader<WorkItem> reader, List<WorkItem> batch, List<WorkItem> deferred)
    {
        var end = Stopwatch.GetTimestamp() + windowTicks;
        while (batch.Count < Options.MaxBatch)
        {
            if (reader.TryRead(out var next))
            {
                if (!next.IsDone)
                {
                    (next.Layer is null ? batch : deferred).Add(next);
                }

                continue;
            }

            // A lone caller (nobody else waiting or running) would only pay the window: run it now.
            var remaining = end - Stopwatch.GetTimestamp();
            if (remaining <= 0 || Volatile.Read(ref pending) <= batch.Count + deferred.Count)
            {
                return;
            }

            var more = reader.WaitToReadAsync().AsTask();
            var woken = await Task.WhenAny(more, Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency))).ConfigureAwait(false);
            if (woken != more || !more.Result)
            {
                return;
            }
        }
    }

    private void RunBatch(List<WorkItem> batch, SessionCache sessions, float[] staging)
    {
        // Requests abandoned while the batch filled are not run.
        batch.RemoveAll(item => item.IsDone);
        var size = batch.Count;
        if (size == 0)
        {
            return;
        }

        try
        {
            var session = sessions.For(size);
            for (var i = 0; i < size; i++)
            {
                batch[i].Input.CopyTo(staging, i * imageFloats);
                RecordWait(batch[i]);
            }

            session.Run(staging.AsSpan(0, size * imageFloats));
            Count(size);
            var outputs = session.Outputs;
            for (var i = 0; i < size; i++)
            {
                var results = new float[outputs.Count][];
                for (var o = 0; o < outputs.Count; o++)
                {
                    var perImage = outputs[o].ElementsPerImage;
                    results[o] = session.Output(outputs[o].Name).Slice(i * perImage, perImage).ToArray();
                }

                batch[i].Complete(results);
            }
        }
        catch (Exception e)
        {
            batch.ForEach(item => item.Fail(e));
        }
    }

    private void RunActivation(WorkItem item, SessionCache sessions)
    {
        if (item.IsDone)
        {
            return;
        }

        try
        {
            var session = sessions.For(1);
            RecordWait(item);
            var values = session.RunUntil(item.Layer!, item.Input).ToArray();
            var shape = session.Layers.First(l => l.Name == item.Layer || l.FusedNodeNames.Contains(item.Layer!)).OutputShape;
            Count(1);
            item.Complete(new ActivationResult(item.Layer!, shape, values));
        }
        catch (Exception e)
        {
            item.Fail(e);
        }
    }

    private void RecordWait(WorkItem item) =>
        ServingMetrics.QueueWait.Record(Stopwatch.GetElapsedTime(item.EnqueuedAt).TotalSeconds, ServingMetrics.Model(Name));

    private void Count(int size)
    {
        ServingMetrics.Inferences.Add(size, ServingMetrics.Model(Name));
        ServingMetrics.BatchSize.Record(size, ServingMetrics.Model(Name));
        Interlocked.Increment(ref batchesRun);
        Interlocked.Add(ref imagesRun, size);
        int seen;
        while (size > (seen = Volatile.Read(ref largestBatch)) && Interlocked.CompareExchange(ref largestBatch, size, seen) != seen)
        {
        }
    }
}
