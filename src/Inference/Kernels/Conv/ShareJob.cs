using ConvService.Inference.Workers;

namespace ConvService.Inference.Kernels.Conv;

/// <summary>
/// A convolution kernel whose Execute splits into worker shares: optionally the input first copied into the
/// kernel's own layout (the fill phase), then the output computed. Share w of n is the kernel's own w-th slice.
/// </summary>
internal unsafe interface IShareKernel
{
    void FillShare(int worker, float* input, float* scratch, int batch);

    void ComputeShare(int worker, float* input, float* output, float* scratch, int batch);
}

/// <summary>One Execute's pointers for the worker shares; kept by the kernel and reused, so Execute allocates nothing.</summary>
internal sealed unsafe class ShareJob(IShareKernel owner) : IParallelWork
{
    private float* input;
    private float* output;
    private float* scratch;
    private int batch;
    private bool filling;

    /// <summary>
    /// The fill phase (when <paramref name="fill"/>) and then the compute phase, each split over
    /// <paramref name="workers"/>; one worker runs both on the calling thread. <paramref name="spare"/> keeps the
    /// job between calls.
    /// </summary>
    public static void Execute(ref ShareJob? spare, IShareKernel owner, float* input, float* output, float* scratch, int batch, int workers, bool fill)
    {
        if (workers == 1)
        {
            if (fill)
            {
                owner.FillShare(0, input, scratch, batch);
            }

            owner.ComputeShare(0, input, output, scratch, batch);
            return;
        }

        var job = Interlocked.Exchange(ref spare, null) ?? new ShareJob(owner);
        job.input = input;
        job.output = output;
        job.scratch = scratch;
        job.batch = batch;
        if (fill)
        {
            job.filling = true;
            KernelWorkers.Run(job, workers);
        }

        job.filling = false;
        KernelWorkers.Run(job, workers);
        spare = job;
    }

    public void Run(int worker)
    {
        if (filling)
        {
            owner.FillShare(worker, input, scratch, batch);
        }
        else
        {
            owner.ComputeShare(worker, input, output, scratch, batch);
        }
    }
}
