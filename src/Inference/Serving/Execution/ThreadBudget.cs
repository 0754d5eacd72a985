using ConvService.Inference.Engine;

namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// The threads every model run made with the same <see cref="ServingOptions"/> shares. Under the adaptive policy a run
/// alone gets all of them; n runs at once get Threads / n each (the longest running one more when it does not
/// divide), at least one. Each start and end rebalances the runs going on, which follow from their next layer
/// (<see cref="ModelSession.Threads"/>), so a lone request uses the whole machine and concurrent ones share it.
/// </summary>
public sealed class ThreadBudget
{
    private readonly Lock gate = new();
    private readonly List<ModelSession> running = [];

    public ThreadBudget(int threads, IntraOpPolicy policy = IntraOpPolicy.Adaptive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        Policy = policy;
    }

    /// <summary>Threads the runs share (adaptive) or each run uses (fixed).</summary>
    public int Threads { get; }

    public IntraOpPolicy Policy { get; }

    /// <summary>Runs going on now.</summary>
    public int Running
    {
        get
        {
            lock (gate)
            {
                return running.Count;
            }
        }
    }

    /// <summary>A budget of one thread per core.</summary>
    public static ThreadBudget PerCore(IntraOpPolicy policy = IntraOpPolicy.Adaptive) => new(Environment.ProcessorCount, policy);

    /// <summary>Threads a run gets when <paramref name="runs"/> run at once and it is the <paramref name="index"/>-th oldest.</summary>
    public int ShareOf(int index, int runs)
    {
        if (Policy == IntraOpPolicy.Fixed || runs <= 1)
        {
            return Threads;
        }

        return Math.Max(1, Threads / runs + (index < Threads % runs ? 1 : 0));
    }

    /// <summary>Gives the session its share for a run and takes it back when the returned scope is disposed.</summary>
    internal RunScope Start(ModelSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (gate)
        {
            running.Add(session);
            Rebalance();
        }

        return new RunScope(this, session);
    }

    private void Finish(ModelSession session)
    {
        lock (gate)
        {
            running.Remove(session);
            Rebalance();
        }
    }

    private void Rebalance()
    {
        for (var i = 0; i < running.Count; i++)
        {
            running[i].Threads = ShareOf(i, running.Count);
        }
    }

    /// <summary>One run's hold on its share; disposing it gives the threads back to the other runs.</summary>
    internal readonly struct RunScope : IDisposable
    {
        private readonly ThreadBudget budget;
        private readonly ModelSession session;

        internal RunScope(ThreadBudget budget, ModelSession session)
        {
            this.budget = budget;
            this.session = session;
        }

        public void Dispose() => budget?.Finish(session);
    }
}
