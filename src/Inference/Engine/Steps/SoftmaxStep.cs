using ConvService.Inference.Operators.Softmax;

namespace ConvService.Inference.Engine.Steps;

internal sealed class SoftmaxStep(Operand input, int output, int outer, int axis, int inner) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        SoftmaxKernel.Run(frame.Read(input), frame.Slot(output), outer, axis, inner);
}
