using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Engine.Steps;

internal sealed class GlobalPoolStep(bool isMax, int input, int output, int planes, int planeSize) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        if (isMax)
        {
            GlobalPoolKernel.Max(frame.Slot(input), frame.Slot(output), planes, planeSize, SimdCapabilities.Best);
        }
        else
        {
            GlobalPoolKernel.Average(frame.Slot(input), frame.Slot(output), planes, planeSize, SimdCapabilities.Best);
        }
    }
}
