namespace ConvService.Api.Infrastructure;

/// <summary>A refusal decided by the HTTP layer itself (authentication, readiness), answered as problem details with this status.</summary>
public sealed class HttpProblemException(int status, string title, string detail, TimeSpan? retryAfter = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
