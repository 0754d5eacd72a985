using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Engine.Steps;

internal sealed class PadStep(Operand input, int output, int[] inputShape, int[] outputShape, int[] padsBegin, PadMode mode, float value) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        PadKernel.Run(frame.Read(input), frame.Slot(output), inputShape, outputShape, padsBegin, mode, value);
}
