using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Elementwise;

namespace ConvService.Inference.Engine.Steps;

internal sealed class BinaryStep(BinaryKind kind, BroadcastBinary broadcast, Operand a, Operand b, int output) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        broadcast.Execute(kind, frame.Read(a), frame.Read(b), frame.Slot(output), SimdSupport.Best);
}
