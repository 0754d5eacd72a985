using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Engine.Steps;

internal sealed class ConvStep(ConvPlan plan, int input, int output, int batch) : Step
{
    public override int ScratchFloats => plan.ScratchFloats(batch);

    public override void Execute(ExecutionFrame frame) =>
        plan.Execute(frame.Slot(input), frame.Slot(output), frame.Scratch[..ScratchFloats], batch);

    public override string ToString()
    {
        var g = plan.Geometry;
        return $"conv {g.KernelHeight}x{g.KernelWidth}s{g.StrideH} {g.InChannels}-{g.OutChannels} {g.InHeight}x{g.InWidth} {plan.Algorithm}";
    }
}
