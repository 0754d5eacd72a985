using ConvService.Inference.Operators;
using ConvService.Inference.Operators.VolumeConv;

namespace ConvService.Inference.Engine.Steps;

internal sealed class VolumeConvStep(VolumeConvKernel kernel, int input, int output, int batch, SimdLevel level) : Step
{
    public override int ScratchFloats => kernel.ScratchFloats;

    public override void Execute(ExecutionFrame frame) =>
        kernel.Run(frame.Slot(input), frame.Slot(output), batch, frame.Scratch, frame.DegreeOfParallelism, level);
}
