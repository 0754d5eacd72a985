namespace ConvService.Inference.Engine.Steps;

/// <summary>
/// output[i] = input[sourceOffsets[i]]: a gather whose every source position was worked out when the plan was built
/// (GatherElements with constant indices).
/// </summary>
internal sealed class IndexedCopyStep(Operand input, int output, int[] sourceOffsets) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var source = frame.Read(input);
        var destination = frame.Slot(output);
        for (var i = 0; i < sourceOffsets.Length; i++)
        {
            destination[i] = source[sourceOffsets[i]];
        }
    }
}
