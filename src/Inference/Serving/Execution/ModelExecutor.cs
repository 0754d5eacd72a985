using System.Diagnostics;
using System.Threading.Channels;
using ConvService.Inference.Engine;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// Runs one model for many concurrent callers: a bounded queue feeds a fixed pool of workers, each owning its
/// sessions. With batching on, a worker that picks up a request waits up to the batch window for more and runs
/// them as one batch through a session of that batch size; it waits only while other requests are pending, so a
/// lone caller pays no delay. Only images of the same input shapes share a batch (a model with open image
/// dimensions may get many sizes). Each worker caches its sessions per batch size and shape (<see cref="SessionCache"/>).
/// Each run takes its share of the threads from <see cref="ServingOptions.Threads"/>: all of them when it runs alone,
/// fewer while others run beside it.
/// </summary>
public sealed class ModelExecutor : IAsyncDisposable
{
    private readonly CompiledModel model;
    private readonly Channel<WorkItem> queue;
    private readonly Task[] workers;
    private readonly int[][] declaredImageShapes;
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
        declaredImageShapes = model.Inputs.Select(i => i.Shape.Skip(1).ToArray()).ToArray();
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

    /// <summary>Called with a run's session once the run holds its share of the threads; tests see the shares here.</summary>
    internal Action<ModelSession>? Starting { get; set; }

    /// <summary>Runs the whole model on one image (C*H*W floats) of its declared size; returns each graph output for that image.</summary>
    public async Task<float[][]> RunAsync(float[] image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var declared = DeclaredImageShape();
        var result = await RunAsync([image], [declared], cancellationToken).ConfigureAwait(false);
        return result.Outputs;
    }

    /// <summary>
    /// Runs the whole model on one image given as a value per model input with its shape without the batch (open
    /// dimensions at any size the model takes); returns each graph output with its shape.
    /// </summary>
    public async Task<ImageResult> RunAsync(IReadOnlyList<float[]> inputs, IReadOnlyList<int[]> imageShapes, CancellationToken cancellationToken)
    {
        var item = new WorkItem([.. inputs], Check(inputs, imageShapes), null);
        return (ImageResult)await EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one image of the declared size up to <paramref name="layer"/> and returns a copy of that layer's output.</summary>
    public Task<ActivationResult> ActivationsAsync(string layer, float[] image, CancellationToken cancellationToken) =>
        ActivationsAsync(layer, image, DeclaredImageShape(), cancellationToken);

    /// <summary>As above for an image of the given shape (without the batch).</summary>
    public async Task<ActivationResult> ActivationsAsync(string layer, float[] image, int[] imageShape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var item = new WorkItem([image], Check([image], [imageShape]), layer);
        return (ActivationResult)await EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
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
        if (Volatile.Read(ref disposed) == 1)
        {
            Interlocked.Decrement(ref pending);
            throw new ModelRetiredException(Name);
        }

        if (!queue.Writer.TryWrite(item))
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
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && item.Result.IsCanceled)
        {
            // Only the deadline cancels an item whose caller is still there; the answer says how long it really waited.
            var now = Stopwatch.GetTimestamp();
            throw new RequestTimeoutException(Name, Options.RequestTimeout, Stopwatch.GetElapsedTime(item.EnqueuedAt, now), item.QueuedUntil(now));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Cancelled from inside the run, neither by the caller nor by the deadline: a fault to surface, not a timeout.
            throw new InvalidOperationException(
                $"The run of model '{Name}' was cancelled from inside after {Stopwatch.GetElapsedTime(item.EnqueuedAt).TotalMilliseconds:0} ms, though neither its caller nor its {Options.RequestTimeout.TotalMilliseconds:0} ms deadline cancelled it.",
                e);
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
            RunBatch(batch, sessions);

            // Activations, and images of other shapes, picked up while filling: each shape as one more batch.
            foreach (var group in deferred.Where(i => i.Layer is null).GroupBy(i => i.ShapeKey))
            {
                RunBatch(group.ToList(), sessions);
            }

            foreach (var item in deferred.Where(i => i.Layer is not null))
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
                    (next.Layer is null && next.ShapeKey == batch[0].ShapeKey ? batch : deferred).Add(next);
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

    private void RunBatch(List<WorkItem> batch, SessionCache sessions)
    {
        // Requests abandoned while the batch filled are not run.
        batch.RemoveAll(item => item.IsDone);
        var size = batch.Count;
        if (size == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var session = sessions.For(size, batch[0].ImageShapes);
            foreach (var item in batch)
            {
                RecordWait(item);
            }

            for (var k = 0; k < session.Inputs.Count; k++)
            {
                var destination = session.Input(session.Inputs[k].Name);
                var floats = destination.Length / size;
                for (var i = 0; i < size; i++)
                {
                    batch[i].Inputs[k].CopyTo(destination.Slice(i * floats, floats));
                }
            }

            using (Share(session))
            {
                session.Run();
            }

            Count(size);
            var outputs = session.Outputs;
            var shapes = outputs.Select(o => o.Shape.Skip(1).ToArray()).ToArray();
            var results = new float[size][][];
            for (var i = 0; i < size; i++)
            {
                results[i] = new float[outputs.Count][];
                for (var o = 0; o < outputs.Count; o++)
                {
                    var perImage = session.Output(outputs[o].Name).Length / size;
                    results[i][o] = session.Output(outputs[o].Name).Slice(i * perImage, perImage).ToArray();
                }
            }

            var finished = Stopwatch.GetTimestamp();
            for (var i = 0; i < size; i++)
            {
                batch[i].Complete(new ImageResult(results[i], shapes) { Timing = Timing(batch[i], started, finished) });
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

        var started = Stopwatch.GetTimestamp();
        try
        {
            var session = sessions.For(1, item.ImageShapes);
            RecordWait(item);
            item.Inputs[0].CopyTo(session.Input(session.Inputs[0].Name));
            float[] values;
            using (Share(session))
            {
                values = session.RunUntil(item.Layer!).ToArray();
            }

            var shape = session.Layers.First(l => l.Name == item.Layer || l.FusedNodeNames.Contains(item.Layer!)).OutputShape;
            Count(1);
            item.Complete(new ActivationResult(item.Layer!, shape, values) { Timing = Timing(item, started, Stopwatch.GetTimestamp()) });
        }
        catch (Exception e)
        {
            item.Fail(e);
        }
    }

    /// <summary>Gives the session its share of the threads for one run; disposing the scope gives them back.</summary>
    private ThreadBudget.RunScope Share(ModelSession session)
    {
        var scope = Options.Threads.Start(session);
        Starting?.Invoke(session);
        ServingMetrics.RunThreads.Record(session.Threads, ServingMetrics.Model(Name));
        return scope;
    }

    /// <summary>The declared image shape of the only input, for callers that send just C*H*W floats.</summary>
    private int[] DeclaredImageShape()
    {
        if (model.Inputs.Count != 1 || model.Inputs[0].IsDynamic)
        {
            throw ConvServiceException.DoesNotFit(
                "Input shape needed",
                $"Model '{Name}' has {(model.Inputs.Count != 1 ? $"{model.Inputs.Count} inputs" : $"open input dimensions [{string.Join(", ", model.Inputs[0].Shape.Skip(1))}]")}; send every input with its shape.");
        }

        return declaredImageShapes[0];
    }

    /// <summary>One value per input, each exactly its shape's size; the engine checks the shapes themselves when it plans.</summary>
    private int[][] Check(IReadOnlyList<float[]> inputs, IReadOnlyList<int[]> imageShapes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(imageShapes);
        if (inputs.Count != model.Inputs.Count || imageShapes.Count != inputs.Count)
        {
            throw ConvServiceException.DoesNotFit("Wrong inputs", $"Model '{Name}' takes {model.Inputs.Count} input(s): {string.Join(", ", model.Inputs.Select(i => i.Name))}.");
        }

        for (var k = 0; k < inputs.Count; k++)
        {
            var expected = imageShapes[k].Aggregate(1L, (p, d) => p * d);
            if (imageShapes[k].Any(d => d < 0) || inputs[k].Length != expected)
            {
                var declared = model.Inputs[k].Shape.Skip(1).Select(d => d < 0 ? "any" : d.ToString(System.Globalization.CultureInfo.InvariantCulture));
                throw ConvServiceException.DoesNotFit(
                    "Wrong input shape",
                    $"Input '{model.Inputs[k].Name}' has {inputs[k].Length} values but its shape [{string.Join(", ", imageShapes[k])}] needs {expected}; model '{Name}' expects {string.Join("x", declared)} per image.");
            }
        }

        return [.. imageShapes.Select(s => s.ToArray())];
    }

    private static RunTiming Timing(WorkItem item, long started, long finished) =>
        new(Stopwatch.GetElapsedTime(item.EnqueuedAt, started), Stopwatch.GetElapsedTime(started, finished));

    private void RecordWait(WorkItem item)
    {
        item.Started();
        ServingMetrics.QueueWait.Record(item.QueuedUntil(Stopwatch.GetTimestamp()).TotalSeconds, ServingMetrics.Model(Name));
    }

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
