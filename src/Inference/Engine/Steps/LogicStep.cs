using ConvService.Inference.Operators.Logic;

namespace ConvService.Inference.Engine.Steps;

internal sealed class LogicStep(LogicKind kind, BroadcastOdometer shape, Operand[] inputs, int output) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        LogicKernel.Run(
            kind,
            shape,
            frame.Read(inputs[0]),
            inputs.Length > 1 ? frame.Read(inputs[1]) : default,
            inputs.Length > 2 ? frame.Read(inputs[2]) : default,
            frame.Slot(output));
}
