using ConvService.Inference.Operators.Normalization;

namespace ConvService.Inference.Engine.Steps;

/// <summary>
/// LayerNormalization: every row of the trailing dimensions from the axis on, with per-element scale and bias; the
/// optional Mean and InvStdDev outputs (slot -1 when unused) receive each row's statistics.
/// </summary>
internal sealed class LayerNormalizationStep(Operand input, int output, int mean, int invStdDev, int rows, int rowLength, float[] scale, float[] bias, float epsilon, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var x = frame.Read(input);
        var y = frame.Slot(output);
        var means = mean < 0 ? Span<float>.Empty : frame.Slot(mean);
        var invStdDevs = invStdDev < 0 ? Span<float>.Empty : frame.Slot(invStdDev);
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * rowLength, rowLength);
            var (rowMean, variance) = RowNormalization.Moments(row, level);
            var rowInvStdDev = 1f / MathF.Sqrt(variance + epsilon);
            RowNormalization.NormalizeElementwise(row, y.Slice(r * rowLength, rowLength), rowMean, rowInvStdDev, scale, bias, level);
            if (!means.IsEmpty)
            {
                means[r] = rowMean;
            }

            if (!invStdDevs.IsEmpty)
            {
                invStdDevs[r] = rowInvStdDev;
            }
        }
    }
}
