using ConvService.Inference.Operators.Normalization;

namespace ConvService.Inference.Engine.Steps;

/// <summary>LayerNormalization: every row of the trailing dimensions from the axis on, with per-element scale and bias.</summary>
internal sealed class LayerNormalizationStep(Operand input, int output, int rows, int rowLength, float[] scale, float[] bias, float epsilon, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var x = frame.Read(input);
        var y = frame.Slot(output);
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * rowLength, rowLength);
            var (mean, variance) = RowNormalization.Moments(row, level);
            RowNormalization.NormalizeElementwise(row, y.Slice(r * rowLength, rowLength), mean, 1f / MathF.Sqrt(variance + epsilon), scale, bias, level);
        }
    }
}
