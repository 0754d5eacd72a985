using System.Text.Json;
using ConvService.Api.Observability;
using ConvService.Inference.Errors;
using ConvService.Inference.Serving.Execution;
using ConvService.Inference.Serving.Repository;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ConvService.Api.Infrastructure;

/// <summary>
/// Turns caller mistakes into 4xx problem details: engine refusals, bodies over the byte limit, malformed JSON.
/// Anything else is a bug and stays a 500 (logged with its trace id).
/// </summary>
public sealed class EngineExceptionHandler(IProblemDetailsService problems, ILogger<EngineExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        // The client went away (its queued work was dropped): nobody reads an answer, and it is not a server error.
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            logger.LogInformation("Client left {Method} {Path} before the answer", http.Request.Method, http.Request.Path);
            http.Response.StatusCode = 499;
            return true;
        }

        var problem = ToProblem(exception);
        if (problem is null)
        {
            return false;
        }

        logger.LogInformation("Refused {Method} {Path}: {Status} {Title}: {Detail}",
            http.Request.Method, http.Request.Path, problem.Status, problem.Title, problem.Detail);
        http.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        if (http.Response.StatusCode is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout)
        {
            ServiceMetrics.RecordRefusal(http.Response.StatusCode, (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "");
        }

        if (RetryAfterOf(exception) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>
    /// Binding wraps the real cause (a body over the limit, bad JSON) in a generic "failed to read parameter"
    /// exception, so the innermost recognised cause decides the answer.
    /// </summary>
    public static ProblemDetails? ToProblem(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is ConvServiceException or BadHttpRequestException or JsonException or InvalidDataException)
            {
                var cause = ToProblem(inner);
                if (cause is not null)
                {
                    return cause;
                }
            }
        }

        return ToProblemAlone(exception);
    }

    public static TimeSpan? RetryAfterOf(Exception exception) => exception switch
    {
        ServerBusyException e => e.RetryAfter,
        ModelRetiredException => TimeSpan.FromSeconds(1),
        HttpProblemException e => e.RetryAfter,
        _ => null,
    };

    private static ProblemDetails? ToProblemAlone(Exception exception) => exception switch
    {
        ConvServiceException e => FromEngine(e),
        HttpProblemException e => new ProblemDetails { Status = e.Status, Title = e.Title, Detail = e.Message },
        ServerBusyException e => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Model busy",
            Detail = e.Message,
        },
        ModelRetiredException e => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Model version retired",
            Detail = e.Message,
        },
        RepositoryWriteException { DiskFull: true } e => new ProblemDetails
        {
            Status = StatusCodes.Status507InsufficientStorage,
            Title = "Model repository is full",
            Detail = e.Message,
        },
        RepositoryWriteException e => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Model repository is read-only",
            Detail = e.Message,
        },
        RequestTimeoutException e => new ProblemDetails
        {
            Status = StatusCodes.Status504GatewayTimeout,
            Title = "Model timed out",
            Detail = e.Message,
        },
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => BodyTooLarge(e),
        InvalidDataException e when e.Message.Contains("value count limit", StringComparison.OrdinalIgnoreCase) => new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "Too many form parts",
            Detail = $"{e.Message} A request here has one file and a few fields; send fewer parts (the limit is ConvService:Limits:MaxFormParts).",
        },
        InvalidDataException e when e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) => BodyTooLarge(e),
        BadHttpRequestException e => new ProblemDetails
        {
            Status = e.StatusCode,
            Title = "Malformed request",
            Detail = ReadableErrors.Request(e),
        },
        JsonException e => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Malformed JSON",
            Detail = ReadableErrors.Json(e),
        },
        InvalidDataException e => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Malformed request",
            Detail = $"The request body could not be read: {e.Message} Multipart bodies need the boundary from their Content-Type and every part closed by it, as curl -F writes them.",
        },
        _ => null,
    };

    /// <summary>Kestrel and the multipart reader each enforce the byte limit, with different exception types.</summary>
    private static ProblemDetails BodyTooLarge(Exception e) => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Request body too large",
        Detail = $"{e.Message} Send a smaller body; the limit is ConvService:Limits:MaxRequestBytes.",
    };

    public static ProblemDetails FromEngine(ConvServiceException e)
    {
        var problem = new ProblemDetails
        {
            Status = e.Kind switch
            {
                ErrorKind.InvalidInput => StatusCodes.Status400BadRequest,
                ErrorKind.DoesNotFit => StatusCodes.Status422UnprocessableEntity,
                ErrorKind.OverLimit => StatusCodes.Status413PayloadTooLarge,
                ErrorKind.Unsupported => StatusCodes.Status415UnsupportedMediaType,
                ErrorKind.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status400BadRequest,
            },
            Title = e.Title,
            Detail = e.Message,
        };
        foreach (var (key, value) in e.Extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }
}
