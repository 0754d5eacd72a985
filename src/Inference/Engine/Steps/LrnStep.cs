using ConvService.Inference.Operators.Normalization;

namespace ConvService.Inference.Engine.Steps;

internal sealed class LrnStep(int input, int output, int batch, int channels, int planeSize, int size, float alpha, float beta, float bias) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        LrnKernel.Run(frame.Slot(input), frame.Slot(output), batch, channels, planeSize, size, alpha, beta, bias);
}
