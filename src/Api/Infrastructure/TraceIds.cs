using System.Diagnostics;

namespace ConvService.Api.Infrastructure;

/// <summary>One trace id per request, the same in the log line and in the problem body, so a report can be found in the logs.</summary>
public static class TraceIds
{
    public static string Of(HttpContext http) => Activity.Current?.Id ?? http.TraceIdentifier;
}
