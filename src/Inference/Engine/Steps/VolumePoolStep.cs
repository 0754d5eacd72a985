using ConvService.Inference.Operators.Pooling;

namespace ConvService.Inference.Engine.Steps;

/// <summary>3-D MaxPool, AveragePool and LpPool (lpNorm, the p of LpPool, is 0 for the other two).</summary>
internal sealed class VolumePoolStep(VolumePoolGeometry geometry, bool isMax, bool countIncludePad, float lpNorm, int input, int output, int planes) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        if (lpNorm > 0f)
        {
            VolumePoolReference.Lp(geometry, frame.Slot(input), frame.Slot(output), planes, lpNorm);
            return;
        }

        VolumePoolReference.Run(geometry, frame.Slot(input), frame.Slot(output), planes, isMax, countIncludePad);
    }
}
