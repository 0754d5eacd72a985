using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Activations;
using ConvService.Inference.Operators.Elementwise;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Engine.Steps;

/// <summary>
/// A broadcasting binary operator with an optional fused activation. Large same-shape operands (residual adds of a
/// batch) split their elements over the kernel workers.
/// </summary>
internal sealed class BinaryStep(BinaryKind kind, BroadcastBinary broadcast, Operand a, Operand b, int output, FusedActivation activation, SimdLevel level) : Step
{
    /// <summary>Below this many output floats a second thread costs more than it saves.</summary>
    private const int ParallelFloats = 1 << 17;

    private SliceJob? spareJob;

    public override void Execute(ExecutionFrame frame)
    {
        var destination = frame.Slot(output);
        var sameShape = frame.Read(a).Length == destination.Length && frame.Read(b).Length == destination.Length;
        if (!sameShape || frame.DegreeOfParallelism <= 1 || destination.Length < ParallelFloats)
        {
            broadcast.Execute(kind, frame.Read(a), frame.Read(b), destination, activation, level);
            return;
        }

        var job = Interlocked.Exchange(ref spareJob, null) ?? new SliceJob(this);
        job.Frame = frame;
        job.Workers = frame.DegreeOfParallelism;
        KernelWorkers.Run(job, job.Workers);
        job.Frame = null;
        spareJob = job;
    }

    /// <summary>Same shapes: the elements are independent, so any contiguous slice can run alone.</summary>
    private void RunSlice(ExecutionFrame frame, int worker, int workers)
    {
        var destination = frame.Slot(output);
        int begin = (int)((long)destination.Length * worker / workers), end = (int)((long)destination.Length * (worker + 1) / workers);
        var slice = destination[begin..end];
        BinaryRowKernel.Run(kind, frame.Read(a)[begin..end], false, frame.Read(b)[begin..end], false, slice, level);
        if (activation.Kind != ActivationKind.None)
        {
            ActivationKernel.Apply(slice, slice, activation, level);
        }
    }

    /// <summary>One Execute's frame for the worker shares; kept by the step and reused, so Execute allocates nothing.</summary>
    private sealed class SliceJob(BinaryStep owner) : IParallelWork
    {
        public ExecutionFrame? Frame;
        public int Workers;

        public void Run(int worker) => owner.RunSlice(Frame!, worker, Workers);
    }
}
