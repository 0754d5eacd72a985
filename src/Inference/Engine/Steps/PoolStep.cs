using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Operators.Pooling;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Engine.Steps;

/// <summary>Max, average or Lp pooling over planes; large batches split their planes over the kernel workers.</summary>
internal sealed class PoolStep(PoolGeometry geometry, PoolStep.Kind kind, bool countIncludePad, int input, int output, int planes, SimdLevel level, float p = 2f) : Step
{
    public enum Kind
    {
        Max,
        Average,
        Lp,
    }

    /// <summary>Below this many input floats a second thread costs more than it saves.</summary>
    private const int ParallelFloats = 1 << 17;

    private PlaneJob? spareJob;

    public override void Execute(ExecutionFrame frame)
    {
        var workers = Math.Min(frame.DegreeOfParallelism, planes);
        if (workers <= 1 || frame.Slot(input).Length < ParallelFloats)
        {
            Pool(frame, 0, planes);
            return;
        }

        var job = Interlocked.Exchange(ref spareJob, null) ?? new PlaneJob(this);
        job.Frame = frame;
        job.Workers = workers;
        job.Planes = planes;
        KernelWorkers.Run(job, workers);
        job.Frame = null;
        spareJob = job;
    }

    private void Pool(ExecutionFrame frame, int first, int count)
    {
        var source = frame.Slot(input);
        var destination = frame.Slot(output);
        int inPlane = source.Length / planes, outPlane = destination.Length / planes;
        source = source.Slice(first * inPlane, count * inPlane);
        destination = destination.Slice(first * outPlane, count * outPlane);
        switch (kind)
        {
            case Kind.Max:
                PoolKernel.Max(geometry, source, destination, count, level);
                break;
            case Kind.Average:
                PoolKernel.Average(geometry, source, destination, count, countIncludePad, level);
                break;
            default:
                PoolReference.Lp(geometry, source, destination, count, p);
                break;
        }
    }

    /// <summary>One Execute's frame for the worker shares; kept by the step and reused, so Execute allocates nothing.</summary>
    private sealed class PlaneJob(PoolStep owner) : IParallelWork
    {
        public ExecutionFrame? Frame;
        public int Workers;
        public int Planes;

        public void Run(int worker)
        {
            int first = Planes * worker / Workers, end = Planes * (worker + 1) / Workers;
            owner.Pool(Frame!, first, end - first);
        }
    }
}
