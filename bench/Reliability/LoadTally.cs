namespace ConvService.Bench.Reliability;

/// <summary>Answers counted by status class, with the latency of every answered request.</summary>
internal sealed class LoadTally
{
    private readonly List<double> latencies = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> byStatus = new();
    private int ok;
    private int clientErrors;
    private int serverErrors;
    private int unanswered;

    public int Ok => ok;

    public int ClientErrors => clientErrors;

    public int ServerErrors => serverErrors;

    /// <summary>Connections refused or reset: no HTTP answer at all.</summary>
    public int Unanswered => unanswered;

    /// <summary>Counts per status code, e.g. "200: 4721, 503: 12".</summary>
    public string Statuses => string.Join(", ", byStatus.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"));

    public void Add(int status, double ms)
    {
        byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (status < 400)
        {
            Interlocked.Increment(ref ok);
        }
        else if (status < 500)
        {
            Interlocked.Increment(ref clientErrors);
        }
        else
        {
            Interlocked.Increment(ref serverErrors);
        }

        lock (latencies)
        {
            latencies.Add(ms);
        }
    }

    public void AddUnanswered() => Interlocked.Increment(ref unanswered);

    public (double P50, double P99) Percentiles()
    {
        lock (latencies)
        {
            var sorted = latencies.Order().ToList();
            double At(double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
            return (At(0.50), At(0.99));
        }
    }
}
