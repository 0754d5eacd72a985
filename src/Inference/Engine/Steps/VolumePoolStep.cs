using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Engine.Steps;

internal sealed class VolumePoolStep(VolumePoolGeometry geometry, bool isMax, bool countIncludePad, int input, int output, int planes) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        VolumePoolReference.Run(geometry, frame.Slot(input), frame.Slot(output), planes, isMax, countIncludePad);
}
