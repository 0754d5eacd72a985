using System.Diagnostics.Metrics;
using ConvService.Inference.Serving.Repository;

namespace ConvService.Api.Observability;

/// <summary>The service's own meters outside the model executor (whose meters are ServingMetrics), exported at /metrics.</summary>
public static class ServiceMetrics
{
    public const string MeterName = "ConvService.Api";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Decode, filter and encode time of /api/filter, tagged by phase: the Server-Timing split, summed up.</summary>
    public static readonly Histogram<double> FilterPhase = Meter.CreateHistogram<double>(
        "convservice.filter.phase.duration", "s", "Time of each phase (decode, filter, encode) of an image filter request.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>Each stage of a predict or embed request (receive, read, decode, preprocess, queue, engine, handoff, json), tagged by stage and model: the Server-Timing split, summed up.</summary>
    public static readonly Histogram<double> ModelStage = Meter.CreateHistogram<double>(
        "convservice.model.stage.duration", "s", "Time of each stage of a model request.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>Image area filtered: with the filter time it gives the throughput in megapixels per second.</summary>
    public static readonly Counter<double> FilterMegapixels = Meter.CreateCounter<double>(
        "convservice.filter.megapixels", "{megapixel}", "Megapixels of the images filtered.");

    /// <summary>Models loaded, failed or skipped by the repository (a scan, an upload, a lecture network).</summary>
    public static readonly Counter<long> ModelLoads = Meter.CreateCounter<long>(
        "convservice.model.loads", "{model}", "Model loads by outcome: loaded, failed, skipped.");

    /// <summary>Requests refused because a model's queue was full (503) or its answer came too late (504).</summary>
    public static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "convservice.refusals", "{request}", "Requests refused with 503 (queue full) or 504 (timed out).");

    public static void RecordFilter(double decodeMs, double filterMs, double encodeMs, double megapixels)
    {
        FilterPhase.Record(decodeMs / 1000, new KeyValuePair<string, object?>("phase", "decode"));
        FilterPhase.Record(filterMs / 1000, new KeyValuePair<string, object?>("phase", "filter"));
        if (encodeMs > 0)
        {
            FilterPhase.Record(encodeMs / 1000, new KeyValuePair<string, object?>("phase", "encode"));
        }

        FilterMegapixels.Add(megapixels);
    }

    public static void RecordModelStage(string model, string stage, double ms) =>
        ModelStage.Record(ms / 1000, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("stage", stage));

    public static void RecordModelEvent(RepositoryEvent e)
    {
        if (e.Kind == RepositoryEventKind.Removed)
        {
            return;
        }

        ModelLoads.Add(1, new KeyValuePair<string, object?>("model", e.Model), new KeyValuePair<string, object?>("outcome", e.Kind.ToString().ToLowerInvariant()));
    }

    public static void RecordRefusal(int status, string path) =>
        Refusals.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("path", path));
}
