using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Engine.Steps;

internal sealed class GlobalPoolStep(PoolStep.Kind kind, int input, int output, int planes, int planeSize, float p = 2f) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        switch (kind)
        {
            case PoolStep.Kind.Max:
                GlobalPoolKernel.Max(frame.Slot(input), frame.Slot(output), planes, planeSize, SimdCapabilities.Best);
                break;
            case PoolStep.Kind.Average:
                GlobalPoolKernel.Average(frame.Slot(input), frame.Slot(output), planes, planeSize, SimdCapabilities.Best);
                break;
            default:
                GlobalPoolReference.Lp(frame.Slot(input), frame.Slot(output), planes, planeSize, p);
                break;
        }
    }
}
