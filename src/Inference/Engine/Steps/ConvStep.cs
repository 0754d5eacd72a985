using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Engine.Steps;

/// <summary>A convolution; with a residual slot (not -1) the plan adds that tensor before its activation.</summary>
internal sealed class ConvStep(ConvPlan plan, int input, int residual, int output, int batch) : Step
{
    public override int ScratchFloats => plan.ScratchFloats(batch);

    public override void Execute(ExecutionFrame frame)
    {
        if (residual < 0)
        {
            plan.Execute(frame.Slot(input), frame.Slot(output), frame.Scratch[..ScratchFloats], batch);
        }
        else
        {
            plan.Execute(frame.Slot(input), frame.Slot(residual), frame.Slot(output), frame.Scratch[..ScratchFloats], batch);
        }
    }

    public override string ToString()
    {
        var g = plan.Geometry;
        return $"conv {g.KernelHeight}x{g.KernelWidth}s{g.StrideH} {g.InChannels}-{g.OutChannels} {g.InHeight}x{g.InWidth} {plan.Algorithm}{(residual < 0 ? "" : " +residual")}";
    }
}
