using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Engine.Steps;

internal sealed class TransposeStep(Operand input, int output, int[] inputShape, int[] permutation) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        TransposeKernel.Run(frame.Read(input), frame.Slot(output), inputShape, permutation);
}
