namespace ConvService.Inference.Workers;

/// <summary>
/// The most threads the kernel calls of one run may use, read at every call: whoever shares the machine between runs
/// may lower or raise it while the run goes on, and the next kernel call follows. The calls' shares stay as planned,
/// so the results do not depend on it.
/// </summary>
internal sealed class ThreadCap(int threads)
{
    private int threads = Math.Max(1, threads);

    public int Threads
    {
        get => Volatile.Read(ref threads);
        set => Volatile.Write(ref threads, Math.Max(1, value));
    }
}
