using ConvService.Inference.Operators.Reduction;

namespace ConvService.Inference.Engine.Steps;

/// <summary>ArgMax or ArgMin; the indices are written as float values.</summary>
internal sealed class ArgExtremumStep(Operand input, int output, int outer, int axis, int inner, bool max, bool selectLast) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        ArgExtremumKernel.Run(frame.Read(input), frame.Slot(output), outer, axis, inner, max, selectLast);
}
