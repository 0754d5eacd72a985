using ConvService.Inference.Operators.Unary;

namespace ConvService.Inference.Engine.Steps;

/// <summary>An element-wise math function or activation of the math operator set.</summary>
internal sealed class UnaryStep(Operand input, int output, UnaryFunction function, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame) => UnaryKernel.Apply(frame.Read(input), frame.Slot(output), function, level);
}
