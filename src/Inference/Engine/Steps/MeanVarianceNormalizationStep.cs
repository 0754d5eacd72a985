using ConvService.Inference.Operators.Reduction;

namespace ConvService.Inference.Engine.Steps;

/// <summary>
/// MeanVarianceNormalization over any axes, as ONNX's function body defines it: (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9).
/// The statistics live in scratch: means, then mean squares turned into the scale, then the shift.
/// </summary>
internal sealed class MeanVarianceNormalizationStep(ReductionPlan plan, Operand input, int output, SimdLevel level) : Step
{
    public override int ScratchFloats => 2 * plan.OutputLength;

    public override void Execute(ExecutionFrame frame)
    {
        var x = frame.Read(input);
        var stats = frame.Scratch;
        var mean = stats[..plan.OutputLength];
        var scale = stats.Slice(plan.OutputLength, plan.OutputLength);
        plan.Execute(ReductionKind.Mean, x, mean, [], level);
        plan.Execute(ReductionKind.SumSquare, x, scale, [], level);
        for (var i = 0; i < mean.Length; i++)
        {
            var m = mean[i];
            var variance = (scale[i] / plan.ReducedCount) - (m * m);
            scale[i] = 1f / (MathF.Sqrt(variance) + 1e-9f);
            mean[i] = -m * scale[i];
        }

        plan.ApplyPerOutput(x, frame.Slot(output), scale, mean, level);
    }
}
