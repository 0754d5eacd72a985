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
                failure ??= team[i - 1].Wait();
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

    /// <summary>A background thread that runs one share per signal.</summary>
    private sealed class Helper
    {
        private readonly SemaphoreSlim go = new(0);
        private readonly ManualResetEventSlim done = new(false, 200);
        private IParallelWork? work;
        private int share;
        private Exception? error;

        public Helper(int number)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"ConvService kernel worker {number}" };
            thread.Start();
        }

        public void Start(IParallelWork next, int index)
        {
            work = next;
            share = index;
            done.Reset();
            go.Release();
        }

        /// <summary>Waits for the share and returns what it threw, if anything.</summary>
        public Exception? Wait()
        {
            done.Wait();
            var failure = error;
            error = null;
            return failure;
        }

        private void Loop()
        {
            while (true)
            {
                go.Wait();
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
                    done.Set();
                }
            }
        }
    }
}
