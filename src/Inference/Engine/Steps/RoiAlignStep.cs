using ConvService.Inference.Operators.Sampling;

namespace ConvService.Inference.Engine.Steps;

/// <summary>RoiAlign over runtime or constant regions; the image of each region is fixed at load.</summary>
internal sealed class RoiAlignStep(Operand input, Operand rois, int[] batchIndices, int output, int[] inputShape, RoiAlignOptions options) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        RoiAlignKernel.Run(frame.Read(input), frame.Read(rois), batchIndices, frame.Slot(output), inputShape[1], inputShape[2], inputShape[3], options);
}
