using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace ConvService.Inference.Kernels.Gemm;

/// <summary>
/// Runs the shares of one kernel call on the calling thread plus long-lived helper threads, without allocating
/// (Parallel.For costs a few kilobytes per call, and a network runs dozens of kernels per inference). One call uses
/// the helpers at a time; a concurrent call falls back to Parallel.For rather than wait.
/// </summary>
internal static class KernelWorkers
{
    private static readonly Lock Gate = new();
    private static Helper[] helpers = [];

    public static void Run(IParallelWork work, int workers)
    {
        if (workers <= 1)
        {
            work.Run(0);
            return;
        }

        if (!Gate.TryEnter())
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, work.Run);
            return;
        }

        try
        {
            var team = Ensure(workers - 1);
            for (var i = 1; i < workers; i++)
            {
                team[i - 1].Start(work, i);
            }

            Exception? failure = null;
            try
            {
                work.Run(0);
            }
            catch (Exception e)
            {
                failure = e;
            }

            for (var i = 1; i < workers; i++)
            {
                // A helper that has not picked its share up yet (still waking) loses it to the caller, so a slow
                // wake-up never costs more than running that share here.
                if (team[i - 1].TryRevoke())
                {
                    try
                    {
                        work.Run(i);
                    }
                    catch (Exception e)
                    {
                        failure ??= e;
                    }
                }
                else
                {
                    failure ??= team[i - 1].Wait();
                }
            }

            if (failure != null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Gate.Exit();
        }
    }

    private static Helper[] Ensure(int count)
    {
        if (helpers.Length < count)
        {
            var grown = new Helper[count];
            helpers.CopyTo(grown, 0);
            for (var i = helpers.Length; i < count; i++)
            {
                grown[i] = new Helper(i + 1);
            }

            helpers = grown;
        }

        return helpers;
    }

    /// <summary>
    /// A background thread that runs one share per signal. Waking a blocked thread costs a few hundred microseconds
    /// on a virtual machine, as much as a small layer, so after each share the helper spins briefly for the next one
    /// (a network runs its kernels back to back), then blocks. The caller may take back a posted share the helper
    /// has not started.
    /// </summary>
    private sealed class Helper
    {
        /// <summary>How long an idle helper spins before it blocks: long enough to bridge the gap between kernel calls.</summary>
        private static readonly long SpinTicks = Stopwatch.Frequency / 4000;

        private const int Idle = 0;
        private const int Posted = 1;
        private const int Running = 2;
        private const int Sleeping = 3;

        private readonly SemaphoreSlim wake = new(0);
        private IParallelWork? work;
        private int share;
        private Exception? error;
        private int state;

        public Helper(int number)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"ConvService kernel worker {number}" };
            thread.Start();
        }

        public void Start(IParallelWork next, int index)
        {
            work = next;
            share = index;
            if (Interlocked.Exchange(ref state, Posted) == Sleeping)
            {
                wake.Release();
            }
        }

        /// <summary>Takes the posted share back if the helper has not started it; then the caller must run it.</summary>
        public bool TryRevoke() => Interlocked.CompareExchange(ref state, Idle, Posted) == Posted;

        /// <summary>Waits for a started share and returns what it threw, if anything.</summary>
        public Exception? Wait()
        {
            // The caller has just finished its own share, so this one is nearly done: spin and yield, never sleep a tick.
            var spinner = default(SpinWait);
            while (Volatile.Read(ref state) == Running)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            var failure = error;
            error = null;
            return failure;
        }

        private void Loop()
        {
            while (true)
            {
                WaitForWork();
                try
                {
                    work!.Run(share);
                }
                catch (Exception e)
                {
                    error = e;
                }
                finally
                {
                    work = null;
                    Volatile.Write(ref state, Idle);
                }
            }
        }

        /// <summary>Returns once a posted share has been claimed (state Running).</summary>
        private void WaitForWork()
        {
            while (true)
            {
                var deadline = Stopwatch.GetTimestamp() + SpinTicks;
                var spins = 0;
                while (Volatile.Read(ref state) != Posted && (++spins % 16 != 0 || Stopwatch.GetTimestamp() < deadline))
                {
                    Thread.SpinWait(30);
                }

                if (Interlocked.CompareExchange(ref state, Running, Posted) == Posted)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref state, Sleeping, Idle) == Idle)
                {
                    wake.Wait();
                    if (Interlocked.CompareExchange(ref state, Running, Posted) == Posted)
                    {
                        return;
                    }
                }
            }
        }
    }
}
