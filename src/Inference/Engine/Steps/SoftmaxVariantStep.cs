using ConvService.Inference.Operators.Softmax;

namespace ConvService.Inference.Engine.Steps;

/// <summary>Softmax, LogSoftmax or Hardmax over the middle axis of [outer, axis, inner].</summary>
internal sealed class SoftmaxVariantStep(Operand input, int output, int outer, int axis, int inner, string opType, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        switch (opType)
        {
            case "Hardmax":
                SoftmaxVariants.Hardmax(frame.Read(input), frame.Slot(output), outer, axis, inner);
                break;
            case "LogSoftmax":
                SoftmaxVariants.LogSoftmax(frame.Read(input), frame.Slot(output), outer, axis, inner, level);
                break;
            default:
                SoftmaxVariants.Softmax(frame.Read(input), frame.Slot(output), outer, axis, inner, level);
                break;
        }
    }
}
