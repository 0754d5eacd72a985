using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Engine.Steps;

internal sealed class ConvStep(ConvPlan plan, int input, int output, int batch) : Step
{
    public override int ScratchFloats => plan.ScratchFloats(batch);

    public override void Execute(ExecutionFrame frame) =>
        plan.Execute(frame.Slot(input), frame.Slot(output), frame.Scratch[..ScratchFloats], batch);
}
