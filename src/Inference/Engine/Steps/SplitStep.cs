using ConvService.Inference.Operators.Tensors;

namespace ConvService.Inference.Engine.Steps;

internal sealed class SplitStep(Operand input, int inputRow, int[] outputs, int[] outputRows, int outer) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var source = frame.Read(input);
        var offset = 0;
        for (var i = 0; i < outputs.Length; i++)
        {
            if (outputs[i] >= 0)
            {
                BlockCopy.Split(source, inputRow, frame.Slot(outputs[i]), outputRows[i], offset, outer);
            }

            offset += outputRows[i];
        }
    }
}
