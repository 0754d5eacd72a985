namespace ConvService.Inference.Engine.Steps;

/// <summary>Copies a value whose buffer cannot be shared (e.g. a graph output that is also an input).</summary>
internal sealed class CopyStep(Operand input, int output) : Step
{
    public override void Execute(ExecutionFrame frame) => frame.Read(input).CopyTo(frame.Slot(output));
}
