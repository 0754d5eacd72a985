using ConvService.Inference.Engine.Graph;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Inference-time BatchNormalization as a per-channel scale and shift: y = x * scale + shift.</summary>
internal static class BatchNormFolding
{
    public static (float[] Scale, float[] Shift) ScaleAndShift(GraphNode node, Func<int, ConstantTensor> parameter, int channels)
    {
        var gamma = parameter(1).AsFloats();
        var beta = parameter(2).AsFloats();
        var mean = parameter(3).AsFloats();
        var variance = parameter(4).AsFloats();
        if (gamma.Length != channels || beta.Length != channels || mean.Length != channels || variance.Length != channels)
        {
            throw new PlanningException($"scale, bias, mean and variance must each have {channels} values (one per channel)");
        }

        var epsilon = node.Attributes.Float("epsilon", 1e-5f);
        var scale = new float[channels];
        var shift = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            // Computed in double so folding adds no rounding beyond the final float conversion.
            var s = gamma[c] / Math.Sqrt((double)variance[c] + epsilon);
            scale[c] = (float)s;
            shift[c] = (float)(beta[c] - mean[c] * s);
        }

        return (scale, shift);
    }
}
