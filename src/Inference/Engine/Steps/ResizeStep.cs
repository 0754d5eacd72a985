using ConvService.Inference.Operators;
using ConvService.Inference.Operators.Resize;

namespace ConvService.Inference.Engine.Steps;

/// <summary>
/// Resize and Upsample. When only the last two axes change, the planes run through <see cref="ResizeKernel"/>;
/// a resize of any other axis runs the reference, one element at a time.
/// </summary>
internal sealed class ResizeStep(ResizeAxis[] axes, ResizeKernel? kernel, int planes, Operand input, int output, float extrapolationValue, SimdLevel level) : Step
{
    public override int ScratchFloats => kernel?.ScratchFloats ?? 0;

    public override void Execute(ExecutionFrame frame)
    {
        if (kernel is null)
        {
            ResizeReference.Run(axes, frame.Read(input), frame.Slot(output), extrapolationValue);
            return;
        }

        kernel.Run(frame.Read(input), frame.Slot(output), planes, frame.Scratch, extrapolationValue, level, frame.DegreeOfParallelism);
    }
}
