using VectorMath = ConvService.Inference.Training.VectorMath;

namespace ConvService.Inference.Classifiers;

/// <summary>
/// Multinomial logistic regression: a softmax layer trained by full-batch gradient descent with momentum on the
/// cross-entropy plus a small L2 penalty, from seeded small random weights. Every sum runs in a fixed order, so the
/// same images, seed and settings give the same weights. The step is 1 / L with L = mean |x|^2 / 2 + penalty, an
/// upper bound of the loss's curvature, so it cannot diverge whatever the feature scale.
/// </summary>
public sealed class LogisticHead : IClassifierHead
{
    private const float Momentum = 0.9f;
    private const float Penalty = 1e-3f;

    private readonly Standardizer? standardizer;
    private readonly float[][] weights;
    private readonly float[] bias;

    private LogisticHead(Standardizer? standardizer, float[][] weights, float[] bias)
    {
        this.standardizer = standardizer;
        this.weights = weights;
        this.bias = bias;
    }

    public static LogisticHead Train(
        IReadOnlyList<float[]> rows, IReadOnlyList<int> labels, int classes, bool standardize, int iterations, int seed, CancellationToken cancellationToken)
    {
        var standardizer = standardize ? Standardizer.Fit(rows) : null;
        var x = rows.Select(r => standardizer?.Apply(r) ?? r).ToArray();
        var n = x.Length;
        var d = x[0].Length;
        var random = new Random(seed);
        var w = new float[classes][];
        var vw = new float[classes][];
        var gw = new float[classes][];
        for (var c = 0; c < classes; c++)
        {
            w[c] = Enumerable.Range(0, d).Select(_ => (float)((random.NextDouble() * 2 - 1) * 0.01)).ToArray();
            vw[c] = new float[d];
            gw[c] = new float[d];
        }

        var b = new float[classes];
        var vb = new float[classes];
        var gb = new float[classes];
        var meanSquare = x.Average(r => (double)VectorMath.Dot(r, r)) + 1; // + 1 for the bias input
        var step = (float)(1 / (meanSquare / 2 + Penalty));
        var p = new float[classes];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var c = 0; c < classes; c++)
            {
                for (var j = 0; j < d; j++)
                {
                    gw[c][j] = Penalty * w[c][j];
                }

                gb[c] = 0;
            }

            for (var i = 0; i < n; i++)
            {
                Softmax(w, b, x[i], p);
                p[labels[i]] -= 1;
                for (var c = 0; c < classes; c++)
                {
                    VectorMath.AddScaled(gw[c], p[c] / n, x[i]);
                    gb[c] += p[c] / n;
                }
            }

            for (var c = 0; c < classes; c++)
            {
                for (var j = 0; j < d; j++)
                {
                    vw[c][j] = Momentum * vw[c][j] - step * gw[c][j];
                    w[c][j] += vw[c][j];
                }

                vb[c] = Momentum * vb[c] - step * gb[c];
                b[c] += vb[c];
            }
        }

        return new LogisticHead(standardizer, w, b);
    }

    public int Predict(ReadOnlySpan<float> features)
    {
        var z = standardizer?.Apply(features) ?? features.ToArray();
        var best = 0;
        var bestScore = float.NegativeInfinity;
        for (var c = 0; c < weights.Length; c++)
        {
            var score = VectorMath.Dot(weights[c], z) + bias[c];
            if (score > bestScore)
            {
                best = c;
                bestScore = score;
            }
        }

        return best;
    }

    public string Write(GraphAppender graph, string features)
    {
        var x = standardizer?.Write(graph, features) ?? features;
        var d = weights[0].Length;
        var scores = graph.Node(
            "Gemm",
            [x, graph.Constant(weights.SelectMany(r => r).ToArray(), weights.Length, d), graph.Constant(bias, bias.Length)],
            GraphAppender.Int("transB", 1));
        return graph.Node("Softmax", [scores], GraphAppender.Int("axis", 1));
    }

    private static void Softmax(float[][] w, float[] b, float[] x, float[] p)
    {
        var max = float.NegativeInfinity;
        for (var c = 0; c < p.Length; c++)
        {
            p[c] = VectorMath.Dot(w[c], x) + b[c];
            max = MathF.Max(max, p[c]);
        }

        var sum = 0f;
        for (var c = 0; c < p.Length; c++)
        {
            p[c] = MathF.Exp(p[c] - max);
            sum += p[c];
        }

        for (var c = 0; c < p.Length; c++)
        {
            p[c] /= sum;
        }
    }
}
