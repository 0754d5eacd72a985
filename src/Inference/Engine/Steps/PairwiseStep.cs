using ConvService.Inference.Operators.Pairwise;

namespace ConvService.Inference.Engine.Steps;

/// <summary>A broadcasting two-operand function (Pow, PRelu, and one operand of Min, Max, Sum or Mean); the output may be operand a.</summary>
internal sealed class PairwiseStep(PairwiseKind kind, BroadcastLayout layout, Operand a, Operand b, int output, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame) => layout.Execute(kind, frame.Read(a), frame.Read(b), frame.Slot(output), level);
}
