namespace ConvService.Inference.Engine.Steps;

/// <summary>One executable unit of a plan. Everything is decided at plan time; Execute only moves numbers.</summary>
internal abstract class Step
{
    /// <summary>Floats of shared scratch the step needs.</summary>
    public virtual int ScratchFloats => 0;

    public abstract void Execute(ExecutionFrame frame);
}
