using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Engine.Steps;

internal sealed class GlobalPoolStep(PoolStep.Kind kind, int input, int output, int planes, int planeSize, SimdLevel level, float p = 2f) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        switch (kind)
        {
            case PoolStep.Kind.Max:
                GlobalPoolKernel.Max(frame.Slot(input), frame.Slot(output), planes, planeSize, level);
                break;
            case PoolStep.Kind.Average:
                GlobalPoolKernel.Average(frame.Slot(input), frame.Slot(output), planes, planeSize, level);
                break;
            default:
                GlobalPoolReference.Lp(frame.Slot(input), frame.Slot(output), planes, planeSize, p);
                break;
        }
    }
}
