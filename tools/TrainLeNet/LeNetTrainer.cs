using ConvService.Inference.Training;

namespace ConvService.Tools.TrainLeNet;

/// <summary>
/// Mini-batch SGD with momentum on shifted digits, learning rate on a cosine from its start value to zero.
/// Single-threaded and seeded throughout, so the same options give the same weights bit for bit on one machine.
/// </summary>
public sealed class LeNetTrainer(TrainingOptions options, TextWriter log)
{
    public LeNet5Parameters Train(DigitSet training, DigitSet heldOut)
    {
        var parameters = LeNet5Parameters.CreateInitialised(options.Seed);
        var network = new LeNet5Network(parameters);
        var optimiser = new SgdMomentum(LeNet5Layout.ParameterCount, options.Momentum, options.WeightDecay);
        var random = new Random(options.Seed + 1);
        var augmenter = new ShiftAugmenter(random, options.MaxShift);

        var order = Enumerable.Range(0, training.Count).ToArray();
        var batches = training.Count / options.BatchSize;
        var totalSteps = options.Epochs * batches;
        var images = new float[options.BatchSize * LeNet5Layout.Pixels];
        var labels = new byte[options.BatchSize];
        var gradients = new float[LeNet5Layout.ParameterCount];
        var step = 0;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            random.Shuffle(order);
            double lossSum = 0;
            for (var b = 0; b < batches; b++)
            {
                for (var i = 0; i < options.BatchSize; i++)
                {
                    var index = order[b * options.BatchSize + i];
                    augmenter.CopyShifted(training, index, images.AsSpan(i * LeNet5Layout.Pixels, LeNet5Layout.Pixels));
                    labels[i] = training.Labels[index];
                }

                lossSum += network.ComputeBatchGradient(images, labels, gradients);
                var rate = options.LearningRate * 0.5f * (1 + MathF.Cos(MathF.PI * step / totalSteps));
                optimiser.Step(parameters.Values, gradients, rate);
                step++;
            }

            log.WriteLine($"epoch {epoch,2}/{options.Epochs}: training loss {lossSum / batches:F4}, held-out top-1 {Accuracy(network, heldOut):P2}");
        }

        return parameters;
    }

    public static double Accuracy(LeNet5Network network, DigitSet digits)
    {
        var image = new float[LeNet5Layout.Pixels];
        var correct = 0;
        for (var i = 0; i < digits.Count; i++)
        {
            digits.CopyScaled(i, image);
            if (network.Classify(image) == digits.Labels[i])
            {
                correct++;
            }
        }

        return (double)correct / digits.Count;
    }
}
