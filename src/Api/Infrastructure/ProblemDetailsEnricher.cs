using Microsoft.AspNetCore.Http;

namespace ConvService.Api.Infrastructure;

/// <summary>Gives every problem body a trace id and an instance, so a client's report can be matched to our logs.</summary>
public static class ProblemDetailsEnricher
{
    public static void Enrich(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        context.ProblemDetails.Instance ??= $"{http.Request.Method} {http.Request.Path}";
        context.ProblemDetails.Extensions["traceId"] = TraceIds.Of(http);
        if (context.ProblemDetails.Status is { } status)
        {
            context.ProblemDetails.Type ??= ProblemTypes.ForStatus(status);
            context.ProblemDetails.Detail ??= DefaultDetail(status, http);
        }
    }

    /// <summary>Answers the framework gives without an exception (no route, wrong method or media type) still say what to do.</summary>
    private static long MaxRequestBytes(HttpContext http) =>
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<LimitsOptions>>().Value.MaxRequestBytes;

    private static string DefaultDetail(int status, HttpContext http) => status switch
    {
        404 => $"There is nothing at {http.Request.Path}. The endpoints are listed at /swagger.",
        405 => $"{http.Request.Path} does not take {http.Request.Method}. The methods it takes are listed at /swagger.",
        415 => $"This endpoint does not take a body of type '{http.Request.ContentType}'. Upload images as multipart/form-data and send JSON as application/json; see /swagger.",
        413 => $"The request body is over the {MaxRequestBytes(http):N0}-byte limit (ConvService:Limits:MaxRequestBytes; model uploads have ConvService:Models:MaxModelBytes). Send a smaller body.",
        400 => "The request could not be read: a multipart body must use the boundary its Content-Type names and close every part with it (as curl -F writes it), and a JSON body must be well-formed. See /swagger for what this endpoint accepts.",
        _ => "See /swagger for what this endpoint accepts.",
    };
}
