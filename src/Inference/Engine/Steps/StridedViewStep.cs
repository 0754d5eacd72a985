using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Engine.Steps;

internal sealed class StridedViewStep(StridedView view, Operand input, int output) : Step
{
    public override void Execute(ExecutionFrame frame) => view.Run(frame.Read(input), frame.Slot(output));
}
