namespace ConvService.Inference.Engine.Steps;

/// <summary>The buffers one session runs its plan in: slots map onto pooled buffers, several slots share a buffer over time.</summary>
internal sealed class ExecutionFrame(float[][] buffers, int[] slotBuffer, int[] slotLength, float[] scratch, int degreeOfParallelism)
{
    public int DegreeOfParallelism { get; } = degreeOfParallelism;

    public Span<float> Scratch => scratch;

    public Span<float> Slot(int slot) => buffers[slotBuffer[slot]].AsSpan(0, slotLength[slot]);

    public ReadOnlySpan<float> Read(in Operand operand) => operand.Constant is { } c ? c : Slot(operand.Slot);
}
