namespace ConvService.Inference.Training;

/// <summary>Softmax over class scores and its cross-entropy loss against one true class.</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>Numerically stable softmax: subtracting the largest score keeps exp() from overflowing.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        var max = float.NegativeInfinity;
        foreach (var v in logits)
        {
            max = MathF.Max(max, v);
        }

        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = Math.Exp(logits[i] - max);
            probabilities[i] = (float)e;
            sum += e;
        }

        for (var i = 0; i < logits.Length; i++)
        {
            probabilities[i] = (float)(probabilities[i] / sum);
        }
    }

    /// <summary>
    /// Returns -log p(label) and writes d loss / d logits = (p - onehot) * <paramref name="gradientScale"/>
    /// (the scale is 1/batch so a batch's gradient is the mean).
    /// </summary>
    public static double LossAndGradient(ReadOnlySpan<float> logits, int label, float gradientScale, Span<float> logitGradient)
    {
        var max = float.NegativeInfinity;
        foreach (var v in logits)
        {
            max = MathF.Max(max, v);
        }

        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            sum += Math.Exp(logits[i] - max);
        }

        var logSum = Math.Log(sum) + max;
        for (var i = 0; i < logits.Length; i++)
        {
            var p = Math.Exp(logits[i] - logSum);
            logitGradient[i] = (float)((p - (i == label ? 1 : 0)) * gradientScale);
        }

        return logSum - logits[label];
    }
}
