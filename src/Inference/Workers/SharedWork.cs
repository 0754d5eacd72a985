namespace ConvService.Inference.Workers;

/// <summary>
/// Runs the numbered shares of a job outside the engine (an upload's decode, its resampling) on the calling thread
/// and the kernels' helper threads, so a lone request can spread that work over the machine too. Share 0 always
/// runs on the calling thread, and first when there is one thread; a share no helper has picked up by the time the
/// caller is done runs on the caller afterwards. So of two shares, share 1 may wait on share 0's progress (a
/// producer and its consumer), never the other way round.
/// </summary>
public static class SharedWork
{
    public static void Run(int shares, Action<int> share)
    {
        ArgumentNullException.ThrowIfNull(share);
        KernelWorkers.Run(new Shares(share), shares);
    }

    private sealed class Shares(Action<int> share) : IParallelWork
    {
        public void Run(int worker) => share(worker);
    }
}
