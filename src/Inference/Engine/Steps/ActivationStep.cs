using ConvService.Inference.Kernels.Conv;
using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Activations;

namespace ConvService.Inference.Engine.Steps;

internal sealed class ActivationStep(Operand input, int output, FusedActivation activation, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        ActivationKernel.Apply(frame.Read(input), frame.Slot(output), activation, level);
}
