using ConvService.Inference.Operators.Indexing;

namespace ConvService.Inference.Engine.Steps;

/// <summary>OneHot on runtime indices, depth and the off/on values fixed at load.</summary>
internal sealed class OneHotStep(Operand indices, int output, int outer, int depth, int inner, float off, float on) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        OneHotKernel.Run(frame.Read(indices), frame.Slot(output), outer, depth, inner, off, on);
}
