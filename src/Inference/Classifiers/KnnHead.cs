using VectorMath = ConvService.Inference.Training.VectorMath;

namespace ConvService.Inference.Classifiers;

/// <summary>
/// k nearest neighbours by cosine similarity. ONNX has TopK but the engine does not run it, so the graph finds the
/// neighbours one at a time: the similarities to every stored (unit-length) training image are one MatMul; Hardmax
/// marks the most similar, MatMul with the one-hot labels turns the mark into a vote, and subtracting 10 from the
/// marked similarity (cosines lie in [-1, 1]) removes it before the next round. k rounds, votes / k out. The stored
/// images make the file grow with the training set: D floats per image.
/// </summary>
public sealed class KnnHead : IClassifierHead
{
    private const float Removed = 10f;

    private readonly Standardizer? standardizer;
    private readonly float[][] examples;
    private readonly int[] labels;
    private readonly int classes;
    private readonly int k;

    private KnnHead(Standardizer? standardizer, float[][] examples, int[] labels, int classes, int k)
    {
        this.standardizer = standardizer;
        this.examples = examples;
        this.labels = labels;
        this.classes = classes;
        this.k = k;
    }

    public static KnnHead Train(IReadOnlyList<float[]> rows, IReadOnlyList<int> labels, int classes, int k, bool standardize)
    {
        var standardizer = standardize ? Standardizer.Fit(rows) : null;
        var examples = rows.Select(r => Unit(standardizer?.Apply(r) ?? r)).ToArray();
        return new KnnHead(standardizer, examples, labels.ToArray(), classes, Math.Min(k, rows.Count));
    }

    public int Predict(ReadOnlySpan<float> features)
    {
        var query = Unit(standardizer?.Apply(features) ?? features.ToArray());
        var similarities = examples.Select(e => VectorMath.Dot(query, e)).ToArray();
        var votes = new int[classes];
        for (var round = 0; round < k; round++)
        {
            var best = 0;
            for (var i = 1; i < similarities.Length; i++)
            {
                if (similarities[i] > similarities[best])
                {
                    best = i;
                }
            }

            votes[labels[best]]++;
            similarities[best] -= Removed;
        }

        var winner = 0;
        for (var c = 1; c < classes; c++)
        {
            if (votes[c] > votes[winner])
            {
                winner = c;
            }
        }

        return winner;
    }

    public string Write(GraphAppender graph, string features)
    {
        var x = FeatureGraphs.UnitLength(graph, standardizer?.Write(graph, features) ?? features);
        var d = examples[0].Length;
        var transposed = new float[d * examples.Length];
        for (var i = 0; i < examples.Length; i++)
        {
            for (var j = 0; j < d; j++)
            {
                transposed[j * examples.Length + i] = examples[i][j];
            }
        }

        var oneHot = new float[examples.Length * classes];
        for (var i = 0; i < examples.Length; i++)
        {
            oneHot[i * classes + labels[i]] = 1f;
        }

        var labelMatrix = graph.Constant(oneHot, examples.Length, classes);
        var removed = graph.Constant([Removed], 1);
        var similarities = graph.Node("MatMul", [x, graph.Constant(transposed, d, examples.Length)]);
        string? votes = null;
        for (var round = 0; round < k; round++)
        {
            var nearest = graph.Node("Hardmax", [similarities], GraphAppender.Int("axis", 1));
            var vote = graph.Node("MatMul", [nearest, labelMatrix]);
            votes = votes is null ? vote : graph.Node("Add", [votes, vote]);
            if (round + 1 < k)
            {
                similarities = graph.Node("Sub", [similarities, graph.Node("Mul", [nearest, removed])]);
            }
        }

        return graph.Node("Mul", [votes!, graph.Constant([1f / k], 1)]);
    }

    private static float[] Unit(float[] v)
    {
        var length = MathF.Max(MathF.Sqrt(VectorMath.Dot(v, v)), 1e-12f);
        for (var j = 0; j < v.Length; j++)
        {
            v[j] /= length;
        }

        return v;
    }
}
