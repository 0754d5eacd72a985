using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConvService.Inference.Serving.Execution;
using Serilog;

namespace ConvService.Api.Observability;

/// <summary>
/// The stages of one model request, each timed from the end of the one before: reported to the client as a
/// Server-Timing header (<c>receive;dur=1.2, decode;dur=4.5, ...</c>, milliseconds), on the request's log line as
/// StageMs, and to /metrics. A stage that did not happen is left out.
/// </summary>
public sealed class RequestStages
{
    public const string HeaderName = "Server-Timing";

    private readonly List<(string Name, double Ms)> stages = new(10);
    private readonly long start;
    private long mark;

    private RequestStages(long start)
    {
        this.start = start;
        mark = start;
    }

    /// <summary>
    /// Starts timing at the handler; the time before it (body received, multipart parsed, form bound) is the
    /// "receive" stage when the request was stamped on entry (<see cref="RequestStart"/>).
    /// </summary>
    public static RequestStages Begin(HttpContext http)
    {
        var now = Stopwatch.GetTimestamp();
        var stages = new RequestStages(RequestStart.Of(http) ?? now);
        if (stages.start != now)
        {
            stages.End("receive");
        }

        return stages;
    }

    /// <summary>Milliseconds from the start to now.</summary>
    public double TotalMs => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    public IReadOnlyList<(string Name, double Ms)> Stages => stages;

    /// <summary>Ends the current stage under <paramref name="name"/>; the next one starts now.</summary>
    public void End(string name)
    {
        var now = Stopwatch.GetTimestamp();
        stages.Add((name, Stopwatch.GetElapsedTime(mark, now).TotalMilliseconds));
        mark = now;
    }

    /// <summary>
    /// Ends the executor's part: its queue wait and run as the executor measured them, and what is left of the
    /// time since the last stage as "handoff" (enqueueing, and resuming the request once the run completed).
    /// </summary>
    public void EndExecutor(RunTiming timing)
    {
        var now = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(mark, now).TotalMilliseconds;
        double queued = timing.Queued.TotalMilliseconds, run = timing.Run.TotalMilliseconds;
        stages.Add(("queue", queued));
        stages.Add(("engine", run));
        stages.Add(("handoff", Math.Max(0, elapsed - queued - run)));
        mark = now;
    }

    /// <summary>The header value: each stage's name and milliseconds, then the total.</summary>
    public string Header()
    {
        var text = new StringBuilder(160);
        foreach (var (name, ms) in stages)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name};dur={ms:0.###}, ");
        }

        return text.Append(CultureInfo.InvariantCulture, $"total;dur={TotalMs:0.###}").ToString();
    }

    /// <summary>Sets the header and the log line's StageMs property, and records each stage for /metrics.</summary>
    public void Report(HttpContext http, IDiagnosticContext diagnostics, string model)
    {
        http.Response.Headers[HeaderName] = Header();
        diagnostics.Set("StageMs", stages.ToDictionary(s => s.Name, s => Math.Round(s.Ms, 2)));
        foreach (var (name, ms) in stages)
        {
            ServiceMetrics.RecordModelStage(model, name, ms);
        }
    }
}
