namespace ConvService.Inference.Engine.Steps;

/// <summary>Gather with indices known at load: for every outer index, the picked blocks of the axis are copied in order.</summary>
internal sealed class GatherStep(Operand input, int output, int outer, int axisSize, int inner, int[] picks) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var source = frame.Read(input);
        var destination = frame.Slot(output);
        for (var o = 0; o < outer; o++)
        {
            for (var p = 0; p < picks.Length; p++)
            {
                source.Slice(((o * axisSize) + picks[p]) * inner, inner).CopyTo(destination.Slice(((o * picks.Length) + p) * inner, inner));
            }
        }
    }
}
