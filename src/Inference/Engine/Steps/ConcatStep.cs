using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Engine.Steps;

/// <summary>Concat as [outer, row] block copies; each input owns a column range of every output row.</summary>
internal sealed class ConcatStep(Operand[] inputs, int[] inputRows, int output, int outputRow, int outer) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var destination = frame.Slot(output);
        var offset = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            BlockCopy.Concat(frame.Read(inputs[i]), inputRows[i], destination, outputRow, offset, outer);
            offset += inputRows[i];
        }
    }
}
