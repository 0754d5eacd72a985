namespace ConvService.Inference.Training;

/// <summary>Stochastic gradient descent with classical momentum and L2 weight decay.</summary>
public sealed class SgdMomentum(int parameterCount, float momentum, float weightDecay)
{
    private readonly float[] _velocity = new float[parameterCount];

    public float Momentum { get; } = momentum;

    public float WeightDecay { get; } = weightDecay;

    /// <summary>v = momentum * v - rate * (g + decay * w); w += v.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        if (parameters.Length != _velocity.Length || gradients.Length != _velocity.Length)
        {
            throw new ArgumentException(
                $"The optimiser was made for {_velocity.Length} parameters but got {parameters.Length} parameters and {gradients.Length} gradients.");
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            var v = Momentum * _velocity[i] - learningRate * (gradients[i] + WeightDecay * parameters[i]);
            _velocity[i] = v;
            parameters[i] += v;
        }
    }
}
