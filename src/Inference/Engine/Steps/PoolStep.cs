using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Engine.Steps;

internal sealed class PoolStep(PoolGeometry geometry, bool isMax, bool countIncludePad, int input, int output, int planes) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        if (isMax)
        {
            PoolKernel.Max(geometry, frame.Slot(input), frame.Slot(output), planes);
        }
        else
        {
            PoolKernel.Average(geometry, frame.Slot(input), frame.Slot(output), planes, countIncludePad);
        }
    }
}
