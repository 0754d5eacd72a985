using ConvService.Inference.Operators.Normalization;
using ConvService.Inference.Operators.Unary;

namespace ConvService.Inference.Engine.Steps;

/// <summary>
/// Instance and Group normalisation: [groups, channelsPerGroup * planeSize] rows, each normalised by its own mean and
/// variance, then scaled and shifted per channel. Instance normalisation is one channel per group.
/// </summary>
internal sealed class GroupNormalizationStep(Operand input, int output, int images, int channels, int groups, int planeSize, float[] scale, float[] bias, float epsilon, SimdLevel level) : Step
{
    public override void Execute(ExecutionFrame frame)
    {
        var x = frame.Read(input);
        var y = frame.Slot(output);
        var perGroup = channels / groups;
        var groupLength = perGroup * planeSize;
        for (var n = 0; n < images; n++)
        {
            for (var g = 0; g < groups; g++)
            {
                var start = ((n * groups) + g) * groupLength;
                var (mean, variance) = RowNormalization.Moments(x.Slice(start, groupLength), level);
                var invStd = 1f / MathF.Sqrt(variance + epsilon);
                for (var k = 0; k < perGroup; k++)
                {
                    var c = (g * perGroup) + k;
                    var a = scale[c] * invStd;
                    var b = bias[c] - (mean * a);
                    var offset = start + (k * planeSize);
                    UnaryKernel.Apply(x.Slice(offset, planeSize), y.Slice(offset, planeSize), new UnaryFunction(UnaryKind.Affine, a, b), level);
                }
            }
        }
    }
}
