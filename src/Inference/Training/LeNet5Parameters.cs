namespace ConvService.Inference.Training;

/// <summary>The weights of a <see cref="LeNet5Network"/>, as one flat vector laid out by <see cref="LeNet5Layout"/>.</summary>
public sealed class LeNet5Parameters
{
    public LeNet5Parameters()
        : this(new float[LeNet5Layout.ParameterCount])
    {
    }

    public LeNet5Parameters(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != LeNet5Layout.ParameterCount)
        {
            throw new ArgumentException(
                $"LeNet-5 has {LeNet5Layout.ParameterCount} parameters but {values.Length} values were given; pass a vector laid out by LeNet5Layout.",
                nameof(values));
        }

        Values = values;
    }

    public float[] Values { get; }

    public Span<float> this[ParameterTensor tensor] => Values.AsSpan(tensor.Offset, tensor.Length);

    /// <summary>
    /// He-uniform weights (suited to ReLU) and zero biases, drawn from a seeded generator so every run starts alike.
    /// </summary>
    public static LeNet5Parameters CreateInitialised(int seed)
    {
        var parameters = new LeNet5Parameters();
        var random = new Random(seed);
        foreach (var tensor in LeNet5Layout.Tensors)
        {
            if (tensor.Shape.Length == 1)
            {
                continue;
            }

            var fanIn = tensor.Length / tensor.Shape[0];
            var limit = Math.Sqrt(6.0 / fanIn);
            var span = parameters[tensor];
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (float)((random.NextDouble() * 2 - 1) * limit);
            }
        }

        return parameters;
    }
}
