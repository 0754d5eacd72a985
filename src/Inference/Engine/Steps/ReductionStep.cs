using ConvService.Inference.Operators.Reduction;

namespace ConvService.Inference.Engine.Steps;

internal sealed class ReductionStep(ReductionKind kind, ReductionPlan plan, Operand input, int output, SimdLevel level) : Step
{
    public override int ScratchFloats => plan.ScratchFloats(kind);

    public override void Execute(ExecutionFrame frame) => plan.Execute(kind, frame.Read(input), frame.Slot(output), frame.Scratch, level);
}
