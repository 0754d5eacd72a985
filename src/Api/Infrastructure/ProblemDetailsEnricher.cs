using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace ConvService.Api.Infrastructure;

/// <summary>Gives every problem body a trace id and an instance, so a client's report can be matched to our logs.</summary>
public static class ProblemDetailsEnricher
{
    public static void Enrich(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        context.ProblemDetails.Instance ??= $"{http.Request.Method} {http.Request.Path}";
        context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
        if (context.ProblemDetails.Status is { } status && context.ProblemDetails.Type is null)
        {
            context.ProblemDetails.Type = ProblemTypes.ForStatus(status);
        }
    }
}
