namespace ConvService.Inference.Classifiers;

/// <summary>
/// Nearest class mean. The scores are softmax(-|x - m_c|^2 / v), v the mean squared distance of the training images
/// to their own class mean, written as one Gemm (|x|^2 is the same for every class and drops out) and a Softmax.
/// </summary>
public sealed class CentroidHead : IClassifierHead
{
    private readonly Standardizer? standardizer;
    private readonly float[][] means;
    private readonly float spread;

    private CentroidHead(Standardizer? standardizer, float[][] means, float spread)
    {
        this.standardizer = standardizer;
        this.means = means;
        this.spread = spread;
    }

    public static CentroidHead Train(IReadOnlyList<float[]> rows, IReadOnlyList<int> labels, int classes, bool standardize)
    {
        var standardizer = standardize ? Standardizer.Fit(rows) : null;
        var z = rows.Select(r => standardizer?.Apply(r) ?? r).ToArray();
        var d = z[0].Length;
        var means = new float[classes][];
        var counts = new int[classes];
        for (var c = 0; c < classes; c++)
        {
            means[c] = new float[d];
        }

        for (var i = 0; i < z.Length; i++)
        {
            counts[labels[i]]++;
            for (var j = 0; j < d; j++)
            {
                means[labels[i]][j] += z[i][j];
            }
        }

        for (var c = 0; c < classes; c++)
        {
            for (var j = 0; j < d; j++)
            {
                means[c][j] /= Math.Max(1, counts[c]);
            }
        }

        var squared = 0.0;
        for (var i = 0; i < z.Length; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var delta = z[i][j] - means[labels[i]][j];
                squared += delta * delta;
            }
        }

        // One image per class leaves no spread to measure: fall back to 1 (the scores are then plain -distance^2).
        var spread = squared > 1e-12 ? (float)(squared / z.Length) : 1f;
        return new CentroidHead(standardizer, means, spread);
    }

    public int Predict(ReadOnlySpan<float> features)
    {
        var z = standardizer?.Apply(features) ?? features.ToArray();
        var best = 0;
        var bestScore = float.NegativeInfinity;
        for (var c = 0; c < means.Length; c++)
        {
            var score = Score(z, c);
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
        var d = means[0].Length;
        var weights = new float[means.Length * d];
        var bias = new float[means.Length];
        for (var c = 0; c < means.Length; c++)
        {
            for (var j = 0; j < d; j++)
            {
                weights[c * d + j] = 2 * means[c][j] / spread;
            }

            bias[c] = -SquaredLength(means[c]) / spread;
        }

        var scores = graph.Node("Gemm", [x, graph.Constant(weights, means.Length, d), graph.Constant(bias, means.Length)], GraphAppender.Int("transB", 1));
        return graph.Node("Softmax", [scores], GraphAppender.Int("axis", 1));
    }

    private float Score(float[] z, int c) => (2 * Training.VectorMath.Dot(z, means[c]) - SquaredLength(means[c])) / spread;

    private static float SquaredLength(float[] v) => Training.VectorMath.Dot(v, v);
}
