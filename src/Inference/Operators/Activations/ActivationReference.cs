using ConvService.Inference.Kernels.Conv;

namespace ConvService.Inference.Operators.Activations;

/// <summary>The scalar definition of every activation: the oracle for the vector paths.</summary>
public static class ActivationReference
{
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, FusedActivation activation)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = activation.Apply(source[i]);
        }
    }
}
