using System.Collections.Concurrent;
using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Execution;

namespace ConvService.Inference.Tests.Serving;

/// <summary>The executor's choice of threads per run: every thread for a lone request, a share each for concurrent ones.</summary>
public sealed class ExecutorThreadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static ServingOptions Options(int pool, ThreadBudget threads) => new()
    {
        PoolSize = pool,
        Batching = false,
        Threads = threads,
    };

    private static CompiledModel Model(int threads) =>
        OnnxModel.Load(ServingModels.TinyClassifierBytes(), new EngineOptions { DegreeOfParallelism = threads });

    [Fact]
    public async Task ALoneRequestIsGivenEveryThread()
    {
        await using var executor = new ModelExecutor("tiny", Model(4), Options(pool: 4, new ThreadBudget(4)));
        var given = new ConcurrentQueue<int>();
        executor.Starting = session => given.Enqueue(session.Threads);
        var random = new Random(11);
        for (var i = 0; i < 3; i++)
        {
            await executor.RunAsync(ServingModels.RandomImage(random), CancellationToken.None);
        }

        Assert.Equal([4, 4, 4], given.ToArray());
    }

    [Theory]
    [InlineData(4, 2, new[] { 2, 2 })]
    [InlineData(4, 3, new[] { 1, 1, 2 })]
    [InlineData(4, 4, new[] { 1, 1, 1, 1 })]
    [InlineData(2, 2, new[] { 1, 1 })]
    public async Task ConcurrentRequestsShareTheThreads(int threads, int runs, int[] expected)
    {
        await using var executor = new ModelExecutor("tiny", Model(threads), Options(pool: runs, new ThreadBudget(threads)));
        using var together = new RunsTogether(executor, runs);
        var random = new Random(12);
        var model = ServingModels.TinyClassifier();
        var images = Enumerable.Range(0, runs).Select(_ => ServingModels.RandomImage(random)).ToArray();

        var results = await Task.WhenAll(images.Select(image => executor.RunAsync(image, CancellationToken.None))).WaitAsync(Patience);

        Assert.Equal(expected, together.Shares.Order().ToArray());
        for (var i = 0; i < runs; i++)
        {
            var alone = ServingModels.RunAlone(model, images[i]);
            Assert.Equal(alone.Length, results[i][0].Length);
            for (var j = 0; j < alone.Length; j++)
            {
                Assert.Equal(alone[j], results[i][0][j], 5);
            }
        }
    }

    [Fact]
    public async Task UnderTheFixedPolicyConcurrentRequestsEachGetEveryThread()
    {
        await using var executor = new ModelExecutor("tiny", Model(2), Options(pool: 2, new ThreadBudget(2, IntraOpPolicy.Fixed)));
        using var together = new RunsTogether(executor, 2);
        var random = new Random(13);
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => executor.RunAsync(ServingModels.RandomImage(random), CancellationToken.None))).WaitAsync(Patience);
        Assert.Equal([2, 2], together.Shares.ToArray());
    }

    [Fact]
    public async Task ModelsMadeWithTheSameOptionsShareOneBudget()
    {
        var options = Options(pool: 1, new ThreadBudget(2));
        await using var first = new ModelExecutor("first", Model(2), options);
        await using var second = new ModelExecutor("second", Model(2), options);
        var shares = new ConcurrentQueue<int>();
        using var joined = new Barrier(2);
        using var read = new Barrier(2);
        Action<ModelSession> together = session =>
        {
            joined.SignalAndWait(Patience);
            shares.Enqueue(session.Threads);
            read.SignalAndWait(Patience);
        };
        first.Starting = together;
        second.Starting = together;
        var random = new Random(14);
        await Task.WhenAll(
            first.RunAsync(ServingModels.RandomImage(random), CancellationToken.None),
            second.RunAsync(ServingModels.RandomImage(random), CancellationToken.None)).WaitAsync(Patience);
        Assert.Equal([1, 1], shares.ToArray());
    }

    /// <summary>Holds the first few runs until all have started, then records each one's threads before any goes on.</summary>
    private sealed class RunsTogether : IDisposable
    {
        private readonly Barrier joined;
        private readonly Barrier read;

        public RunsTogether(ModelExecutor executor, int runs)
        {
            joined = new Barrier(runs);
            read = new Barrier(runs);
            executor.Starting = session =>
            {
                joined.SignalAndWait(Patience);
                Shares.Enqueue(session.Threads);
                read.SignalAndWait(Patience);
            };
        }

        public ConcurrentQueue<int> Shares { get; } = new();

        public void Dispose()
        {
            joined.Dispose();
            read.Dispose();
        }
    }
}
