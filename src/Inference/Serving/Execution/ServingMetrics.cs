using System.Diagnostics.Metrics;

namespace ConvService.Inference.Serving.Execution;

/// <summary>
/// The executor's meters (System.Diagnostics.Metrics, no exporter here): the service exports them at /metrics.
/// Every instrument is tagged with the model's name.
/// </summary>
public static class ServingMetrics
{
    public const string MeterName = "ConvService.Serving";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Images run through a model (whole-model runs and activation requests).</summary>
    public static readonly Counter<long> Inferences = Meter.CreateCounter<long>(
        "convservice.inferences", "{image}", "Images run through a model.");

    /// <summary>Images per model run: how much batching gathers.</summary>
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "convservice.batch.size", "{image}", "Images per model run.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });

    /// <summary>Callers waiting for an answer, queued or running.</summary>
    public static readonly UpDownCounter<int> QueueDepth = Meter.CreateUpDownCounter<int>(
        "convservice.queue.depth", "{request}", "Requests waiting for an answer from a model, queued or running.");

    /// <summary>Time from enqueueing to a worker starting the run.</summary>
    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>(
        "convservice.queue.wait", "s", "Time a request waited in its model's queue before a worker ran it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    /// <summary>Threads a model run was given as it started: all of them alone, a share when others run beside it.</summary>
    public static readonly Histogram<int> RunThreads = Meter.CreateHistogram<int>(
        "convservice.run.threads", "{thread}", "Threads a model run was given as it started.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });

    public static KeyValuePair<string, object?> Model(string name) => new("model", name);
}
