namespace ConvService.Inference.Engine.Steps;

/// <summary>
/// y = x * scale + shift with one scale and shift per element of an image, repeated over the batch:
/// BatchNormalization before opset 9 with spatial = 0 (statistics per channel and position).
/// </summary>
internal sealed class ElementAffineStep(Operand input, int output, float[] scale, float[] shift, int images) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var x = frame.Read(input);
        var y = frame.Slot(output);
        var length = scale.Length;
        for (var n = 0; n < images; n++)
        {
            var offset = n * length;
            for (var i = 0; i < length; i++)
            {
                y[offset + i] = (x[offset + i] * scale[i]) + shift[i];
            }
        }
    }
}
