namespace ConvService.Inference.Classifiers;

/// <summary>Lloyd's k-means with k-means++ seeding from a seeded generator: the same points and seed give the same centres.</summary>
public static class KMeans
{
    public static float[][] Cluster(IReadOnlyList<float[]> points, int k, int seed, int iterations, CancellationToken cancellationToken)
    {
        k = Math.Min(k, points.Count);
        var random = new Random(seed);
        var d = points[0].Length;
        var centres = new List<float[]> { (float[])points[random.Next(points.Count)].Clone() };
        var nearest = points.Select(p => Distance(p, centres[0])).ToArray();
        while (centres.Count < k)
        {
            var total = nearest.Sum(v => (double)v);
            var target = random.NextDouble() * total;
            var chosen = points.Count - 1;
            for (var i = 0; i < points.Count; i++)
            {
                target -= nearest[i];
                if (target <= 0)
                {
                    chosen = i;
                    break;
                }
            }

            centres.Add((float[])points[chosen].Clone());
            for (var i = 0; i < points.Count; i++)
            {
                nearest[i] = MathF.Min(nearest[i], Distance(points[i], centres[^1]));
            }
        }

        var assignment = new int[points.Count];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var changed = false;
            for (var i = 0; i < points.Count; i++)
            {
                var best = 0;
                var bestDistance = float.PositiveInfinity;
                for (var c = 0; c < centres.Count; c++)
                {
                    var distance = Distance(points[i], centres[c]);
                    if (distance < bestDistance)
                    {
                        best = c;
                        bestDistance = distance;
                    }
                }

                changed |= assignment[i] != best || iteration == 0;
                assignment[i] = best;
            }

            if (!changed)
            {
                break;
            }

            var sums = new double[centres.Count, d];
            var counts = new int[centres.Count];
            for (var i = 0; i < points.Count; i++)
            {
                counts[assignment[i]]++;
                for (var j = 0; j < d; j++)
                {
                    sums[assignment[i], j] += points[i][j];
                }
            }

            // An emptied centre keeps its place: it still marks a region the seeding found.
            for (var c = 0; c < centres.Count; c++)
            {
                if (counts[c] == 0)
                {
                    continue;
                }

                for (var j = 0; j < d; j++)
                {
                    centres[c][j] = (float)(sums[c, j] / counts[c]);
                }
            }
        }

        return [.. centres];
    }

    private static float Distance(float[] a, float[] b)
    {
        var sum = 0f;
        for (var j = 0; j < a.Length; j++)
        {
            var delta = a[j] - b[j];
            sum += delta * delta;
        }

        return sum;
    }
}
