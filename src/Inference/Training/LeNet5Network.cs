using L = ConvService.Inference.Training.LeNet5Layout;

namespace ConvService.Inference.Training;

/// <summary>
/// Forward and backward passes of LeNet-5 (see <see cref="LeNet5Layout"/>) for one 28x28 image at a time.
/// Convolutions are im2col followed by row updates, so the same column buffers serve the weight gradients.
/// One instance owns its activation buffers: it is not thread-safe, and <see cref="Backward"/> differentiates
/// the most recent <see cref="Forward"/>. Nothing here allocates after construction.
/// </summary>
public sealed class LeNet5Network
{
    private const int Conv1Positions = L.Pixels;
    private const int Conv1Taps = L.KernelSize * L.KernelSize;
    private const int Pool1Positions = L.Pool1Size * L.Pool1Size;
    private const int Conv2Positions = L.Conv2Size * L.Conv2Size;
    private const int Conv2Taps = L.Conv1Channels * Conv1Taps;
    private const int Pool2Positions = L.Pool2Size * L.Pool2Size;

    private readonly float[] _cols1 = new float[Conv1Taps * Conv1Positions];
    private readonly float[] _a1 = new float[L.Conv1Channels * Conv1Positions];
    private readonly float[] _p1 = new float[L.Conv1Channels * Pool1Positions];
    private readonly int[] _argmax1 = new int[L.Conv1Channels * Pool1Positions];
    private readonly float[] _cols2 = new float[Conv2Taps * Conv2Positions];
    private readonly float[] _a2 = new float[L.Conv2Channels * Conv2Positions];
    private readonly float[] _p2 = new float[L.FlattenedFeatures];
    private readonly int[] _argmax2 = new int[L.FlattenedFeatures];
    private readonly float[] _h1 = new float[L.Hidden1];
    private readonly float[] _h2 = new float[L.Hidden2];

    private readonly float[] _dh2 = new float[L.Hidden2];
    private readonly float[] _dh1 = new float[L.Hidden1];
    private readonly float[] _dp2 = new float[L.FlattenedFeatures];
    private readonly float[] _da2 = new float[L.Conv2Channels * Conv2Positions];
    private readonly float[] _dcols2 = new float[Conv2Taps * Conv2Positions];
    private readonly float[] _dp1 = new float[L.Conv1Channels * Pool1Positions];
    private readonly float[] _da1 = new float[L.Conv1Channels * Conv1Positions];
    private readonly float[] _logits = new float[L.Classes];
    private readonly float[] _logitGradient = new float[L.Classes];

    public LeNet5Network(LeNet5Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    public LeNet5Parameters Parameters { get; }

    /// <summary>Class scores (before softmax) of one image of 784 values, row by row.</summary>
    public void Forward(ReadOnlySpan<float> image, Span<float> logits)
    {
        CheckLength(image, L.Pixels, nameof(image));
        CheckLength(logits, L.Classes, nameof(logits));
        var p = Parameters;

        Im2ColConv1(image);
        ConvForward(p[L.Conv1Weight], p[L.Conv1Bias], _cols1, Conv1Taps, Conv1Positions, _a1);
        MaxPool(_a1, L.Conv1Channels, L.ImageSize, _p1, _argmax1);
        Im2ColConv2();
        ConvForward(p[L.Conv2Weight], p[L.Conv2Bias], _cols2, Conv2Taps, Conv2Positions, _a2);
        MaxPool(_a2, L.Conv2Channels, L.Conv2Size, _p2, _argmax2);
        FullyConnected(p[L.Fc1Weight], p[L.Fc1Bias], _p2, _h1, relu: true);
        FullyConnected(p[L.Fc2Weight], p[L.Fc2Bias], _h1, _h2, relu: true);
        FullyConnected(p[L.Fc3Weight], p[L.Fc3Bias], _h2, logits, relu: false);
    }

    /// <summary>Class probabilities of one image: the ONNX model's "probabilities" output.</summary>
    public void Predict(ReadOnlySpan<float> image, Span<float> probabilities)
    {
        Forward(image, _logits);
        SoftmaxCrossEntropy.Softmax(_logits, probabilities);
    }

    /// <summary>
    /// Adds d loss / d parameters for the most recent <see cref="Forward"/> to <paramref name="parameterGradients"/>,
    /// given d loss / d logits.
    /// </summary>
    public void Backward(ReadOnlySpan<float> logitGradient, Span<float> parameterGradients)
    {
        CheckLength(logitGradient, L.Classes, nameof(logitGradient));
        CheckLength(parameterGradients, L.ParameterCount, nameof(parameterGradients));
        var p = Parameters;
        var g = parameterGradients;

        FullyConnectedBackward(p[L.Fc3Weight], _h2, logitGradient, Slice(g, L.Fc3Weight), Slice(g, L.Fc3Bias), _dh2);
        ReluBackward(_h2, _dh2);
        FullyConnectedBackward(p[L.Fc2Weight], _h1, _dh2, Slice(g, L.Fc2Weight), Slice(g, L.Fc2Bias), _dh1);
        ReluBackward(_h1, _dh1);
        FullyConnectedBackward(p[L.Fc1Weight], _p2, _dh1, Slice(g, L.Fc1Weight), Slice(g, L.Fc1Bias), _dp2);

        MaxPoolBackward(_dp2, _argmax2, _da2);
        ReluBackward(_a2, _da2);
        ConvWeightBackward(_da2, _cols2, Conv2Taps, Conv2Positions, Slice(g, L.Conv2Weight), Slice(g, L.Conv2Bias));
        Conv2InputBackward(p[L.Conv2Weight]);

        MaxPoolBackward(_dp1, _argmax1, _da1);
        ReluBackward(_a1, _da1);
        ConvWeightBackward(_da1, _cols1, Conv1Taps, Conv1Positions, Slice(g, L.Conv1Weight), Slice(g, L.Conv1Bias));
    }

    /// <summary>
    /// Overwrites <paramref name="gradients"/> with the gradient of the batch's mean cross-entropy and returns that
    /// mean loss. <paramref name="images"/> holds <c>labels.Length</c> images of 784 values one after another.
    /// </summary>
    public double ComputeBatchGradient(ReadOnlySpan<float> images, ReadOnlySpan<byte> labels, Span<float> gradients)
    {
        CheckLength(images, labels.Length * L.Pixels, nameof(images));
        gradients.Clear();
        var scale = 1f / labels.Length;
        double loss = 0;
        for (var n = 0; n < labels.Length; n++)
        {
            Forward(images.Slice(n * L.Pixels, L.Pixels), _logits);
            loss += SoftmaxCrossEntropy.LossAndGradient(_logits, labels[n], scale, _logitGradient);
            Backward(_logitGradient, gradients);
        }

        return loss / labels.Length;
    }

    /// <summary>Mean cross-entropy of a batch, forward only.</summary>
    public double MeanLoss(ReadOnlySpan<float> images, ReadOnlySpan<byte> labels)
    {
        CheckLength(images, labels.Length * L.Pixels, nameof(images));
        double loss = 0;
        for (var n = 0; n < labels.Length; n++)
        {
            Forward(images.Slice(n * L.Pixels, L.Pixels), _logits);
            loss += SoftmaxCrossEntropy.LossAndGradient(_logits, labels[n], 1f, _logitGradient);
        }

        return loss / labels.Length;
    }

    /// <summary>The index of the highest class score of one image.</summary>
    public int Classify(ReadOnlySpan<float> image)
    {
        Forward(image, _logits);
        var best = 0;
        for (var i = 1; i < _logits.Length; i++)
        {
            if (_logits[i] > _logits[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static Span<float> Slice(Span<float> all, ParameterTensor tensor) => all.Slice(tensor.Offset, tensor.Length);

    private static void CheckLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected)
        {
            throw new ArgumentException($"{name} must hold {expected} values for LeNet-5 but holds {span.Length}.", name);
        }
    }

    private static void CheckLength<T>(Span<T> span, int expected, string name) => CheckLength((ReadOnlySpan<T>)span, expected, name);

    // Row k of the column matrix is the padded input shifted by tap k, so a convolution is 25 row updates.
    private void Im2ColConv1(ReadOnlySpan<float> image)
    {
        const int size = L.ImageSize;
        for (var ky = 0; ky < L.KernelSize; ky++)
        {
            for (var kx = 0; kx < L.KernelSize; kx++)
            {
                var row = _cols1.AsSpan((ky * L.KernelSize + kx) * Conv1Positions, Conv1Positions);
                for (var y = 0; y < size; y++)
                {
                    var iy = y + ky - L.Conv1Padding;
                    var target = row.Slice(y * size, size);
                    if ((uint)iy >= size)
                    {
                        target.Clear();
                        continue;
                    }

                    for (var x = 0; x < size; x++)
                    {
                        var ix = x + kx - L.Conv1Padding;
                        target[x] = (uint)ix < size ? image[iy * size + ix] : 0f;
                    }
                }
            }
        }
    }

    private void Im2ColConv2()
    {
        for (var ic = 0; ic < L.Conv1Channels; ic++)
        {
            for (var ky = 0; ky < L.KernelSize; ky++)
            {
                for (var kx = 0; kx < L.KernelSize; kx++)
                {
                    var k = (ic * L.KernelSize + ky) * L.KernelSize + kx;
                    var row = _cols2.AsSpan(k * Conv2Positions, Conv2Positions);
                    for (var y = 0; y < L.Conv2Size; y++)
                    {
                        _p1.AsSpan(ic * Pool1Positions + (y + ky) * L.Pool1Size + kx, L.Conv2Size)
                            .CopyTo(row.Slice(y * L.Conv2Size, L.Conv2Size));
                    }
                }
            }
        }
    }

    private void Conv2InputBackward(ReadOnlySpan<float> weights)
    {
        Array.Clear(_dcols2);
        for (var oc = 0; oc < L.Conv2Channels; oc++)
        {
            ReadOnlySpan<float> gradientRow = _da2.AsSpan(oc * Conv2Positions, Conv2Positions);
            for (var k = 0; k < Conv2Taps; k++)
            {
                VectorMath.AddScaled(_dcols2.AsSpan(k * Conv2Positions, Conv2Positions), weights[oc * Conv2Taps + k], gradientRow);
            }
        }

        // col2im: every column entry goes back to the pooled-map pixel it was copied from.
        Array.Clear(_dp1);
        for (var ic = 0; ic < L.Conv1Channels; ic++)
        {
            for (var ky = 0; ky < L.KernelSize; ky++)
            {
                for (var kx = 0; kx < L.KernelSize; kx++)
                {
                    var k = (ic * L.KernelSize + ky) * L.KernelSize + kx;
                    for (var y = 0; y < L.Conv2Size; y++)
                    {
                        var target = _dp1.AsSpan(ic * Pool1Positions + (y + ky) * L.Pool1Size + kx, L.Conv2Size);
                        var source = _dcols2.AsSpan(k * Conv2Positions + y * L.Conv2Size, L.Conv2Size);
                        for (var x = 0; x < L.Conv2Size; x++)
                        {
                            target[x] += source[x];
                        }
                    }
                }
            }
        }
    }

    private static void ConvForward(
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> cols, int taps, int positions, Span<float> output)
    {
        for (var oc = 0; oc < bias.Length; oc++)
        {
            var row = output.Slice(oc * positions, positions);
            row.Fill(bias[oc]);
            for (var k = 0; k < taps; k++)
            {
                VectorMath.AddScaled(row, weights[oc * taps + k], cols.Slice(k * positions, positions));
            }

            Relu(row);
        }
    }

    private static void ConvWeightBackward(
        ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> cols, int taps, int positions, Span<float> weightGradient, Span<float> biasGradient)
    {
        for (var oc = 0; oc < biasGradient.Length; oc++)
        {
            var gradientRow = outputGradient.Slice(oc * positions, positions);
            float sum = 0;
            foreach (var v in gradientRow)
            {
                sum += v;
            }

            biasGradient[oc] += sum;
            for (var k = 0; k < taps; k++)
            {
                weightGradient[oc * taps + k] += VectorMath.Dot(gradientRow, cols.Slice(k * positions, positions));
            }
        }
    }

    // 2x2 windows at stride 2; the winner's index is kept so the gradient flows back to it alone.
    private static void MaxPool(ReadOnlySpan<float> input, int channels, int size, Span<float> output, Span<int> argmax)
    {
        var half = size / 2;
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < half; y++)
            {
                for (var x = 0; x < half; x++)
                {
                    var best = (c * size + 2 * y) * size + 2 * x;
                    ReadOnlySpan<int> candidates = [best + 1, best + size, best + size + 1];
                    foreach (var i in candidates)
                    {
                        if (input[i] > input[best])
                        {
                            best = i;
                        }
                    }

                    var o = (c * half + y) * half + x;
                    output[o] = input[best];
                    argmax[o] = best;
                }
            }
        }
    }

    private static void MaxPoolBackward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> argmax, Span<float> inputGradient)
    {
        inputGradient.Clear();
        for (var o = 0; o < outputGradient.Length; o++)
        {
            inputGradient[argmax[o]] += outputGradient[o];
        }
    }

    private static void FullyConnected(
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> output, bool relu)
    {
        for (var j = 0; j < output.Length; j++)
        {
            var v = bias[j] + VectorMath.Dot(weights.Slice(j * input.Length, input.Length), input);
            output[j] = relu ? MathF.Max(v, 0f) : v;
        }
    }

    private static void FullyConnectedBackward(
        ReadOnlySpan<float> weights,
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradient,
        Span<float> weightGradient,
        Span<float> biasGradient,
        Span<float> inputGradient)
    {
        inputGradient.Clear();
        for (var j = 0; j < outputGradient.Length; j++)
        {
            var d = outputGradient[j];
            if (d == 0f)
            {
                continue;
            }

            biasGradient[j] += d;
            VectorMath.AddScaled(weightGradient.Slice(j * input.Length, input.Length), d, input);
            VectorMath.AddScaled(inputGradient, d, weights.Slice(j * input.Length, input.Length));
        }
    }

    private static void Relu(Span<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Max(values[i], 0f);
        }
    }

    // The ReLU's output is positive exactly where its input was, so the output serves as the mask.
    private static void ReluBackward(ReadOnlySpan<float> activation, Span<float> gradient)
    {
        for (var i = 0; i < gradient.Length; i++)
        {
            if (activation[i] <= 0f)
            {
                gradient[i] = 0f;
            }
        }
    }
}
