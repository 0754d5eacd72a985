namespace ConvService.Bench.Serving;

/// <summary>What one run measured: successful requests per second over the run and their latency percentiles.</summary>
internal sealed record LoadResult(string Model, bool Batching, int Clients, int Ok, int Failed, double Seconds, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Ok / Seconds;

    public static LoadResult From(string model, bool batching, int clients, List<double> latencies, int failed, double seconds)
    {
        latencies.Sort();
        return new LoadResult(model, batching, clients, latencies.Count, failed, seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
