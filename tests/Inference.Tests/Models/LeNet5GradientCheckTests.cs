using ConvService.Inference.Training;

namespace ConvService.Inference.Tests.Models;

/// <summary>The hand-written backward pass against central finite differences of the forward pass.</summary>
public sealed class LeNet5GradientCheckTests
{
    [Fact]
    public void BackwardPassMatchesFiniteDifferencesInEveryTensor()
    {
        var parameters = RandomParameters(seed: 11);
        var network = new LeNet5Network(parameters);
        var (images, labels) = RandomBatch(seed: 12, count: 3);

        var analytic = new float[LeNet5Layout.ParameterCount];
        network.ComputeBatchGradient(images, labels, analytic);

        // Small enough that a step rarely crosses a ReLU or max-pool kink. The forward pass runs in float, so the
        // finite difference carries noise of about 2e-4: gradients at least NonZero in size are compared by their
        // relative error, smaller ones must stay within the noise of zero.
        const float step = 3e-4f;
        const double nonZero = 1e-2, relative = 3e-2, zeroNoise = 5e-4;
        var pick = new Random(13);
        var failures = new List<string>();
        foreach (var tensor in LeNet5Layout.Tensors)
        {
            // Sixteen elements anywhere, and sixteen among those with a sizeable gradient: fc1 and fc2 weights are mostly
            // exactly zero, and a check of zeros alone would pass a sign-flipped gradient.
            var sizeable = Enumerable.Range(tensor.Offset, tensor.Length).Where(i => Math.Abs(analytic[i]) >= 2 * nonZero).ToArray();
            var indices = Enumerable.Range(0, 16).Select(_ => tensor.Offset + pick.Next(tensor.Length))
                .Concat(Enumerable.Range(0, Math.Min(16, sizeable.Length)).Select(_ => sizeable[pick.Next(sizeable.Length)]));
            var comparedByRelativeError = 0;
            foreach (var i in indices)
            {
                var original = parameters.Values[i];
                parameters.Values[i] = original + step;
                var plus = network.MeanLoss(images, labels);
                parameters.Values[i] = original - step;
                var minus = network.MeanLoss(images, labels);
                parameters.Values[i] = original;

                var numeric = (plus - minus) / (2 * step);
                var size = Math.Max(Math.Abs(numeric), Math.Abs(analytic[i]));
                var wrong = size >= nonZero
                    ? Math.Abs(numeric - analytic[i]) / size > relative
                    : Math.Abs(numeric - analytic[i]) > zeroNoise;
                comparedByRelativeError += size >= nonZero ? 1 : 0;
                if (wrong)
                {
                    failures.Add($"{tensor.Name}[{i - tensor.Offset}]: backward {analytic[i]:G6}, finite difference {numeric:G6}");
                }
            }

            if (comparedByRelativeError < 12)
            {
                failures.Add($"{tensor.Name}: only {comparedByRelativeError} of the sampled gradients are large enough to compare by relative error");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void GradientIsNotTriviallyZero()
    {
        // Guards the check above: a backward pass that wrote nothing would match a flat loss.
        var network = new LeNet5Network(RandomParameters(seed: 11));
        var (images, labels) = RandomBatch(seed: 12, count: 3);
        var gradient = new float[LeNet5Layout.ParameterCount];
        network.ComputeBatchGradient(images, labels, gradient);

        Assert.All(LeNet5Layout.Tensors, tensor =>
        {
            var norm = 0.0;
            foreach (var g in gradient.AsSpan(tensor.Offset, tensor.Length))
            {
                norm += g * g;
            }

            Assert.True(norm > 1e-8, $"{tensor.Name} has a zero gradient.");
        });
    }

    [Fact]
    public void SoftmaxCrossEntropyGradientIsProbabilitiesMinusOneHot()
    {
        float[] logits = [0.5f, -1f, 2f];
        var gradient = new float[3];
        var loss = SoftmaxCrossEntropy.LossAndGradient(logits, 2, 1f, gradient);

        var probabilities = new float[3];
        SoftmaxCrossEntropy.Softmax(logits, probabilities);
        Assert.Equal(-Math.Log(probabilities[2]), loss, 1e-6);
        Assert.Equal(probabilities[0], gradient[0], 1e-6f);
        Assert.Equal(probabilities[1], gradient[1], 1e-6f);
        Assert.Equal(probabilities[2] - 1, gradient[2], 1e-6f);
        Assert.Equal(1f, probabilities.Sum(), 1e-6f);
    }

    [Fact]
    public void SgdMomentumFollowsItsUpdateRule()
    {
        var optimiser = new SgdMomentum(2, momentum: 0.9f, weightDecay: 0.1f);
        float[] weights = [1f, -2f];

        optimiser.Step(weights, [0.5f, 0f], learningRate: 0.1f);
        // v = -0.1 * (g + 0.1 w)
        Assert.Equal(1f - 0.1f * 0.6f, weights[0], 1e-6f);
        Assert.Equal(-2f - 0.1f * -0.2f, weights[1], 1e-6f);

        optimiser.Step(weights, [0f, 0f], learningRate: 0f);
        // With no gradient and no rate, momentum alone carries 90% of the last step.
        Assert.Equal(1f - 0.06f - 0.9f * 0.06f, weights[0], 1e-6f);
    }

    [Fact]
    public void TrainingStepsLowerTheLossOfABatch()
    {
        var parameters = LeNet5Parameters.CreateInitialised(seed: 21);
        var network = new LeNet5Network(parameters);
        var (images, labels) = RandomBatch(seed: 22, count: 4);
        var optimiser = new SgdMomentum(LeNet5Layout.ParameterCount, 0.9f, 0f);
        var gradient = new float[LeNet5Layout.ParameterCount];

        var before = network.MeanLoss(images, labels);
        for (var i = 0; i < 20; i++)
        {
            network.ComputeBatchGradient(images, labels, gradient);
            optimiser.Step(parameters.Values, gradient, 0.01f);
        }

        Assert.True(network.MeanLoss(images, labels) < before * 0.5, "Twenty SGD steps on one batch should halve its loss.");
    }

    [Fact]
    public void SeededInitialisationIsReproducible()
    {
        Assert.Equal(LeNet5Parameters.CreateInitialised(3).Values, LeNet5Parameters.CreateInitialised(3).Values);
        Assert.NotEqual(LeNet5Parameters.CreateInitialised(3).Values, LeNet5Parameters.CreateInitialised(4).Values);
    }

    // Non-zero biases too, so their gradients are checked away from the starting point.
    internal static LeNet5Parameters RandomParameters(int seed)
    {
        var parameters = LeNet5Parameters.CreateInitialised(seed);
        var random = new Random(seed);
        foreach (var tensor in LeNet5Layout.Tensors.Where(t => t.Shape.Length == 1))
        {
            var bias = parameters[tensor];
            for (var i = 0; i < bias.Length; i++)
            {
                bias[i] = (float)(random.NextDouble() * 0.2 - 0.1);
            }
        }

        return parameters;
    }

    internal static (float[] Images, byte[] Labels) RandomBatch(int seed, int count)
    {
        var random = new Random(seed);
        var images = new float[count * LeNet5Layout.Pixels];
        for (var i = 0; i < images.Length; i++)
        {
            images[i] = (float)random.NextDouble();
        }

        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(LeNet5Layout.Classes);
        }

        return (images, labels);
    }
}
