using ConvService.Inference.Workers;

namespace ConvService.Inference.Tests.Workers;

/// <summary>How the shares of one kernel call run on the calling thread and a helper, and how a failure ends them.</summary>
public sealed class KernelWorkersTests
{
    /// <summary>
    /// When the caller's share throws while the helper's is still running, the call must not return (and hand the
    /// call's buffers back, and its team to the next call) before the helper's share has ended. It did return early
    /// once: a helper still at work wrote into the buffers of the next call.
    /// </summary>
    [Fact]
    public void ACallerThatThrowsStillWaitsForTheHelper()
    {
        for (var round = 0; round < 20; round++)
        {
            int started = 0, finished = 0;
            var error = Assert.Throws<InvalidOperationException>(() => KernelWorkers.Run(new Shares(share =>
            {
                if (share == 1)
                {
                    Volatile.Write(ref started, 1);
                    Thread.Sleep(20);
                    Volatile.Write(ref finished, 1);
                    return;
                }

                // Give the helper the time to pick its share up, so the case under test happens (bounded).
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (Volatile.Read(ref started) == 0 && waited.ElapsedMilliseconds < 2000)
                {
                    Thread.Yield();
                }

                throw new InvalidOperationException("the caller's share failed");
            }), 2));

            Assert.Equal("the caller's share failed", error.Message);
            Assert.Equal(Volatile.Read(ref started), Volatile.Read(ref finished));
        }
    }

    [Fact]
    public void EveryShareRunsOnceAndShareZeroOnTheCaller()
    {
        var caller = Environment.CurrentManagedThreadId;
        var runs = new int[2];
        var shareZeroThread = -1;
        KernelWorkers.Run(
            new Shares(share =>
            {
                Interlocked.Increment(ref runs[share]);
                if (share == 0)
                {
                    shareZeroThread = Environment.CurrentManagedThreadId;
                }
            }),
            2);

        Assert.Equal([1, 1], runs);
        Assert.Equal(caller, shareZeroThread);
    }

    private sealed class Shares(Action<int> share) : IParallelWork
    {
        public void Run(int worker) => share(worker);
    }
}
