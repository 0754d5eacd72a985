using System.Diagnostics;

namespace ConvService.Api.Observability;

/// <summary>
/// Stamps each request with the time it entered the pipeline, so an endpoint can report how long receiving and
/// parsing its body took before its handler ran (minimal APIs bind a form before the handler or any filter sees it).
/// </summary>
public static class RequestStart
{
    private const string Key = "ConvService.RequestStart";

    public static IApplicationBuilder UseRequestStart(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Items[Key] = Stopwatch.GetTimestamp();
            return next(context);
        });

    /// <summary>When the request entered the pipeline (Stopwatch ticks), or null where the middleware did not run.</summary>
    public static long? Of(HttpContext http) => http.Items.TryGetValue(Key, out var start) && start is long ticks ? ticks : null;
}
