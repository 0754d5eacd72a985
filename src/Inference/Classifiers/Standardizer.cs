namespace ConvService.Inference.Classifiers;

/// <summary>
/// Per-dimension z-scores from the training images. Filter-bank statistics differ in scale by orders of magnitude
/// (a Gaussian's mean against an edge filter's deviation), so without this the largest would decide alone.
/// </summary>
public sealed class Standardizer
{
    private readonly float[] mean;
    private readonly float[] inverseDeviation;

    private Standardizer(float[] mean, float[] inverseDeviation)
    {
        this.mean = mean;
        this.inverseDeviation = inverseDeviation;
    }

    public static Standardizer Fit(IReadOnlyList<float[]> rows)
    {
        var d = rows[0].Length;
        var mean = new double[d];
        foreach (var row in rows)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += row[j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            mean[j] /= rows.Count;
        }

        var variance = new double[d];
        foreach (var row in rows)
        {
            for (var j = 0; j < d; j++)
            {
                var delta = row[j] - mean[j];
                variance[j] += delta * delta;
            }
        }

        // A dimension that never varies in training carries no information: it is zeroed rather than blown up.
        var inverse = new float[d];
        for (var j = 0; j < d; j++)
        {
            var deviation = Math.Sqrt(variance[j] / rows.Count);
            inverse[j] = deviation > 1e-6 ? (float)(1 / deviation) : 0f;
        }

        return new Standardizer(mean.Select(m => (float)m).ToArray(), inverse);
    }

    public float[] Apply(ReadOnlySpan<float> row)
    {
        var z = new float[row.Length];
        for (var j = 0; j < z.Length; j++)
        {
            z[j] = (row[j] - mean[j]) * inverseDeviation[j];
        }

        return z;
    }

    public string Write(GraphAppender graph, string features) =>
        graph.Node("Mul", [graph.Node("Sub", [features, graph.Constant(mean, 1, mean.Length)]), graph.Constant(inverseDeviation, 1, mean.Length)]);
}
