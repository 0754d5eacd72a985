using ConvService.Inference.Operators.Indexing;

namespace ConvService.Inference.Engine.Steps;

/// <summary>
/// ScatterND, ScatterElements and Scatter with indices known at load: the output starts as a copy of the data, then
/// update i is combined into element targets[i] (every target worked out when the plan was built).
/// </summary>
internal sealed class ScatterStep(Operand data, Operand updates, int output, int[] targets, ScatterReduction reduction) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var destination = frame.Slot(output);
        frame.Read(data).CopyTo(destination);
        ScatterReductions.Apply(destination, frame.Read(updates), targets, reduction);
    }
}
