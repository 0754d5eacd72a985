using ConvService.Inference.Engine;
using ConvService.Inference.Errors;
using ConvService.Inference.Serving.Execution;

namespace ConvService.Inference.Tests.Serving;

public sealed class ModelExecutorTests
{
    private static ServingOptions Options(bool batching = true, int pool = 1, int maxBatch = 8, int queue = 64, int windowMs = 50, int timeoutMs = 30_000) => new()
    {
        PoolSize = pool,
        Batching = batching,
        MaxBatch = maxBatch,
        QueueLimit = queue,
        BatchWindow = TimeSpan.FromMilliseconds(windowMs),
        RequestTimeout = TimeSpan.FromMilliseconds(timeoutMs),
    };

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(23)]
    public async Task BatchedRunsGiveEachCallerItsOwnAnswer(int callers)
    {
        var model = ServingModels.TinyClassifier();
        await using var executor = new ModelExecutor("tiny", model, Options(pool: 2));
        var random = new Random(callers);
        var images = Enumerable.Range(0, callers).Select(_ => ServingModels.RandomImage(random)).ToArray();

        var results = await Task.WhenAll(images.Select(image => executor.RunAsync(image, CancellationToken.None)));

        for (var i = 0; i < callers; i++)
        {
            var expected = ServingModels.RunAlone(model, images[i]);
            Assert.Equal(expected.Length, results[i][0].Length);
            for (var j = 0; j < expected.Length; j++)
            {
                Assert.Equal(expected[j], results[i][0][j], 5);
            }
        }

        Assert.Equal(callers, executor.ImagesRun);
        if (callers >= 8)
        {
            Assert.True(executor.LargestBatch > 1, $"largest batch {executor.LargestBatch}");
        }
    }

    [Fact]
    public async Task WithBatchingOffEveryRunIsOneImage()
    {
        await using var executor = new ModelExecutor("tiny", ServingModels.TinyClassifier(), Options(batching: false));
        var random = new Random(4);
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => executor.RunAsync(ServingModels.RandomImage(random), CancellationToken.None)));
        Assert.Equal(1, executor.LargestBatch);
        Assert.Equal(12, executor.BatchesRun);
    }

    [Fact]
    public async Task AFullQueueRefusesWithRetryAfter()
    {
        using var hold = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        await using var executor = new ModelExecutor("tiny", ServingModels.TinyClassifier(), Options(batching: false, queue: 1) with { RetryAfter = TimeSpan.FromSeconds(3) });
        executor.BeforeRun = () =>
        {
            entered.Release();
            hold.Wait();
        };
        var random = new Random(5);
        var running = executor.RunAsync(ServingModels.RandomImage(random), CancellationToken.None);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(10)));
        var queued = executor.RunAsync(ServingModels.RandomImage(random), CancellationToken.None);

        var busy = await Assert.ThrowsAsync<ServerBusyException>(() => executor.RunAsync(ServingModels.RandomImage(random), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(3), busy.RetryAfter);

        hold.Set();
        await running;
        await queued;
        Assert.Equal(2, executor.ImagesRun);
    }

    [Fact]
    public async Task ARequestQueuedBehindAnotherReportsAWaitCoveringThatRun()
    {
        using var hold = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        var model = ServingModels.TinyClassifier();
        int[][] shape = [model.Inputs[0].Shape.Skip(1).ToArray()];
        await using var executor = new ModelExecutor("tiny", model, Options(batching: false));
        var first = true;
        executor.BeforeRun = () =>
        {
            if (first)
            {
                first = false;
                entered.Release();
                hold.Wait();
            }
        };
        var random = new Random(6);
        var running = executor.RunAsync([ServingModels.RandomImage(random)], shape, CancellationToken.None);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(10)));
        var queued = executor.RunAsync([ServingModels.RandomImage(random)], shape, CancellationToken.None);
        hold.Set();

        var (ran, waited) = ((await running).Timing, (await queued).Timing);
        Assert.True(ran.Run > TimeSpan.Zero && waited.Run > TimeSpan.Zero);

        // The second request sat in the queue for the whole of the first one's run.
        Assert.True(waited.Queued >= ran.Run, $"queued {waited.Queued}, the run before it {ran.Run}");
    }

    [Fact]
    public async Task ATimedOutRequestIsDroppedFromTheQueue()
    {
        using var hold = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        await using var executor = new ModelExecutor("tiny", ServingModels.TinyClassifier(), Options(batching: false, timeoutMs: 100));
        executor.BeforeRun = () =>
        {
            entered.Release();
            hold.Wait();
        };
        var random = new Random(6);
        var first = executor.RunAsync(ServingModels.RandomImage(random), CancellationToken.None);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(10)));
        var waiting = executor.RunAsync(ServingModels.RandomImage(random), CancellationToken.None);

        var queuedOut = await Assert.ThrowsAsync<RequestTimeoutException>(() => waiting);
        var ranOut = await Assert.ThrowsAsync<RequestTimeoutException>(() => first);
        hold.Set();
        await executor.DisposeAsync();

        // Both timed out before the held worker ran anything, so neither was computed for nobody.
        Assert.Equal(0, executor.ImagesRun);

        // The answers say how long each really waited: the timeout (its timer may fire a little early by the
        // stopwatch's clock), all of it before a run began.
        Assert.True(queuedOut.Waited >= TimeSpan.FromMilliseconds(90) && ranOut.Waited >= TimeSpan.FromMilliseconds(90), $"{queuedOut.Waited}, {ranOut.Waited}");
        Assert.InRange((queuedOut.Waited - queuedOut.Queued).TotalMilliseconds, 0, 20);
        Assert.InRange((ranOut.Waited - ranOut.Queued).TotalMilliseconds, 0, 20);
        Assert.Contains($"waited {queuedOut.Waited.TotalMilliseconds:0} ms", queuedOut.Message);
    }

    [Fact]
    public async Task ACancellationFromInsideTheRunIsAFaultNotATimeout()
    {
        await using var executor = new ModelExecutor("tiny", ServingModels.TinyClassifier(), Options(batching: false, timeoutMs: 30_000));
        executor.Starting = _ => throw new OperationCanceledException("cancelled by something inside the run");

        var fault = await Assert.ThrowsAsync<InvalidOperationException>(
            () => executor.RunAsync(ServingModels.RandomImage(new Random(8)), CancellationToken.None));

        Assert.IsType<OperationCanceledException>(fault.InnerException);
        Assert.Contains("neither its caller nor its 30000 ms deadline", fault.Message);
    }

    [Fact]
    public async Task ACancelledCallerIsNotRun()
    {
        using var hold = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        await using var executor = new ModelExecutor("tiny", ServingModels.TinyClassifier(), Options(batching: false));
        executor.BeforeRun = () =>
        {
            entered.Release();
            hold.Wait();
        };
        var random = new Random(7);
        var first = executor.RunAsync(ServingModels.RandomImage(random), CancellationToken.None);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(10)));
        using var disconnect = new CancellationTokenSource();
        var abandoned = executor.RunAsync(ServingModels.RandomImage(random), disconnect.Token);
        disconnect.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        hold.Set();
        await first;
        await executor.DisposeAsync();
        Assert.Equal(1, executor.ImagesRun);
    }

    [Fact]
    public async Task AWrongSizedImageIsRefusedWithTheExpectedShape()
    {
        await using var executor = new ModelExecutor("tiny", ServingModels.TinyClassifier(), Options());
        var error = await Assert.ThrowsAsync<ConvServiceException>(() => executor.RunAsync(new float[63], CancellationToken.None));
        Assert.Equal(ErrorKind.DoesNotFit, error.Kind);
        Assert.Contains("1x8x8", error.Message);
    }

    [Fact]
    public async Task ActivationsOfAFusedLayerHaveItsShapeAndValues()
    {
        var model = ServingModels.TinyClassifier();
        await using var executor = new ModelExecutor("tiny", model, Options());
        var image = ServingModels.RandomImage(new Random(8));
        var result = await executor.ActivationsAsync("relu", image, CancellationToken.None);

        Assert.Equal([1, 4, 6, 6], result.Shape);
        Assert.Equal(4 * 6 * 6, result.Values.Length);
        Assert.All(result.Values, v => Assert.True(v >= 0));
        using var session = model.CreateSession(1);
        var direct = session.RunUntil("conv", image).ToArray();
        Assert.Equal(direct, result.Values);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void TheSessionCacheKeepsOneSessionPerBatchSizeUpToItsCapacity(int capacity)
    {
        var model = ServingModels.TinyClassifier();
        using var cache = new SessionCache(model, capacity);
        int[][] image = [[.. model.Inputs[0].Shape.Skip(1)]];
        ModelSession For(int batch) => cache.For(batch, image);
        var first = For(3);
        Assert.Equal(3, first.Batch);
        Assert.Same(first, For(3));
        for (var size = 1; size <= capacity; size++)
        {
            Assert.Equal(size, For(size).Batch);
        }

        // Size 3 was used after the others only when capacity >= 3; beyond capacity the oldest is dropped.
        var again = For(3);
        Assert.Equal(capacity >= 3, ReferenceEquals(first, again));
    }
}
