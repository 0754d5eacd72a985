using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace ConvService.Inference.Workers;

/// <summary>
/// Runs the shares of one kernel call on the calling thread plus long-lived helper threads, without allocating
/// (Parallel.For costs a few kilobytes per call, and a network runs dozens of kernels per inference). Several calls
/// may run at once, each with its own team of helpers; a call that finds every team busy falls back to Parallel.For
/// rather than wait. A run that shares the machine with others caps its threads (<see cref="UseCap"/>): the shares
/// stay as planned, and each thread takes every n-th of them, so results are the same whatever the cap.
/// </summary>
internal static class KernelWorkers
{
    /// <summary>Enough teams for one parallel call per core; more concurrent calls would only oversubscribe.</summary>
    private static readonly Team[] Teams = CreateTeams(Environment.ProcessorCount);

    [ThreadStatic]
    private static ThreadCap? cap;

    private static long calls;
    private static long wakeUps;
    private static long revoked;

    /// <summary>
    /// Parallel calls so far, helpers woken from sleep for them, and shares the caller took back from a helper not
    /// yet started: how often a run paid for a helper's wake-up.
    /// </summary>
    internal static (long Calls, long WakeUps, long Revoked) Counts =>
        (Volatile.Read(ref calls), Volatile.Read(ref wakeUps), Volatile.Read(ref revoked));

    /// <summary>Caps the threads of the kernel calls this thread makes from now on (null: no cap); returns the previous cap to restore.</summary>
    public static ThreadCap? UseCap(ThreadCap? next)
    {
        var previous = cap;
        cap = next;
        return previous;
    }

    public static void Run(IParallelWork work, int workers)
    {
        var threads = Math.Min(workers, cap?.Threads ?? workers);
        if (threads <= 1)
        {
            for (var i = 0; i < workers; i++)
            {
                work.Run(i);
            }

            return;
        }

        var team = Rent();
        if (team is null)
        {
            RunOnThreadPool(work, threads, workers);
            return;
        }

        try
        {
            Interlocked.Increment(ref calls);
            var helpers = team.Ensure(threads - 1);
            for (var t = 1; t < threads; t++)
            {
                helpers[t - 1].Start(work, t, threads, workers);
            }

            Exception? failure = null;
            try
            {
                RunStrided(work, 0, threads, workers);
            }
            catch (Exception e)
            {
                failure = e;
            }

            for (var t = 1; t < threads; t++)
            {
                // A helper that has not picked its shares up yet (still waking) loses them to the caller, so a slow
                // wake-up never costs more than running those shares here.
                if (helpers[t - 1].TryRevoke())
                {
                    Interlocked.Increment(ref revoked);
                    try
                    {
                        RunStrided(work, t, threads, workers);
                    }
                    catch (Exception e)
                    {
                        failure ??= e;
                    }
                }
                else
                {
                    // Waited for even when the caller's share threw: the shares may share buffers the caller is
                    // about to give back, and the team may not go to the next call while its helper still runs.
                    var error = helpers[t - 1].Wait();
                    failure ??= error;
                }
            }

            if (failure != null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            team.Return();
        }
    }

    /// <summary>Kept out of <see cref="Run"/>: its lambda's captures would otherwise be allocated on every call, taken or not.</summary>
    private static void RunOnThreadPool(IParallelWork work, int threads, int workers) =>
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => RunStrided(work, t, threads, workers));

    /// <summary>Shares first, first + stride, ... below count.</summary>
    private static void RunStrided(IParallelWork work, int first, int stride, int count)
    {
        for (var i = first; i < count; i += stride)
        {
            work.Run(i);
        }
    }

    private static Team[] CreateTeams(int count)
    {
        var teams = new Team[Math.Max(1, count)];
        for (var i = 0; i < teams.Length; i++)
        {
            teams[i] = new Team(i);
        }

        return teams;
    }

    private static Team? Rent()
    {
        foreach (var team in Teams)
        {
            if (team.TryTake())
            {
                return team;
            }
        }

        return null;
    }

    /// <summary>Helpers used by one call at a time; created on first use, so a machine that never runs calls side by side makes one team.</summary>
    private sealed class Team(int number)
    {
        private Helper[] helpers = [];
        private int taken;

        public bool TryTake() => Interlocked.CompareExchange(ref taken, 1, 0) == 0;

        public void Return() => Volatile.Write(ref taken, 0);

        public Helper[] Ensure(int count)
        {
            if (helpers.Length < count)
            {
                var grown = new Helper[count];
                helpers.CopyTo(grown, 0);
                for (var i = helpers.Length; i < count; i++)
                {
                    grown[i] = new Helper($"{number + 1}.{i + 1}");
                }

                helpers = grown;
            }

            return helpers;
        }
    }

    /// <summary>
    /// A background thread that runs one set of shares per signal. Waking a blocked thread costs a few hundred microseconds
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
        private int first;
        private int stride;
        private int count;
        private Exception? error;
        private int state;

        public Helper(string number)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"ConvService kernel worker {number}" };
            thread.Start();
        }

        public void Start(IParallelWork next, int firstShare, int shareStride, int shareCount)
        {
            work = next;
            first = firstShare;
            stride = shareStride;
            count = shareCount;
            if (Interlocked.Exchange(ref state, Posted) == Sleeping)
            {
                Interlocked.Increment(ref wakeUps);
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
                    RunStrided(work!, first, stride, count);
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
