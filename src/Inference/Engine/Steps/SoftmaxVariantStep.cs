using ConvService.Inference.Operators.Softmax;

namespace ConvService.Inference.Engine.Steps;

/// <summary>LogSoftmax (hard = false) or Hardmax (hard = true) over the middle axis of [outer, axis, inner].</summary>
internal sealed class SoftmaxVariantStep(Operand input, int output, int outer, int axis, int inner, bool hard, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        if (hard)
        {
            SoftmaxVariants.Hardmax(frame.Read(input), frame.Slot(output), outer, axis, inner);
        }
        else
        {
            SoftmaxVariants.LogSoftmax(frame.Read(input), frame.Slot(output), outer, axis, inner, level);
        }
    }
}
