using ConvService.Inference.Kernels.Gemm;
using ConvService.Inference.Workers;

namespace ConvService.Inference.Engine.Steps;

/// <summary>The buffers one session runs its plan in: slots map onto pooled buffers, several slots share a buffer over time.</summary>
internal sealed class ExecutionFrame(float[][] buffers, int[] slotBuffer, int[] slotLength, float[] scratch, int degreeOfParallelism)
{
    /// <summary>The shares the plan splits parallel work into; the same whatever <see cref="Threads"/> allows, so results do not depend on it.</summary>
    public int DegreeOfParallelism { get; } = degreeOfParallelism;

    /// <summary>Threads the runs in this frame may use now, at most <see cref="DegreeOfParallelism"/>.</summary>
    public ThreadCap Threads { get; } = new(degreeOfParallelism);

    public Span<float> Scratch => scratch;

    public Span<float> Slot(int slot) => buffers[slotBuffer[slot]].AsSpan(0, slotLength[slot]);

    public ReadOnlySpan<float> Read(in Operand operand) => operand.Constant is { } c ? c : Slot(operand.Slot);
}
