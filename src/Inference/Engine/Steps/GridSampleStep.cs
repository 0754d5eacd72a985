using ConvService.Inference.Operators.Sampling;

namespace ConvService.Inference.Engine.Steps;

/// <summary>GridSample of a 2-D image batch at the points of a grid (runtime or constant).</summary>
internal sealed class GridSampleStep(Operand input, Operand grid, int output, int[] inputShape, int[] outputShape, GridSampleOptions options) : Step
{
    public override void Execute(ExecutionFrame frame) =>
        GridSampleKernel.Run(
            frame.Read(input), frame.Read(grid), frame.Slot(output), inputShape[0], inputShape[1], inputShape[2], inputShape[3], outputShape[2], outputShape[3], options);
}
