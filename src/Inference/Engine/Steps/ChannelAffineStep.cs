using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Normalization;

namespace ConvService.Inference.Engine.Steps;

internal sealed class ChannelAffineStep(Operand input, int output, float[] scale, float[] shift, int batch, int planeSize, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        ChannelAffineKernel.Run(frame.Read(input), frame.Slot(output), scale, shift, batch, planeSize, level);
}
