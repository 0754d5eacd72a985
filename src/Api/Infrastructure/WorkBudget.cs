using System.Diagnostics;

namespace ConvService.Api.Infrastructure;

/// <summary>
/// The time one image request's decode, filtering and encode may take (ConvService:Limits:ImageWorkTimeoutMs),
/// joined with the client's own cancellation: hostile files (a progressive JPEG of thousands of empty scans) stop
/// when the budget runs out or the client leaves, instead of holding a core.
/// </summary>
public sealed class WorkBudget : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly CancellationToken client;
    private readonly int timeoutMs;
    private readonly long started = Stopwatch.GetTimestamp();

    private WorkBudget(int timeoutMs, CancellationToken client)
    {
        this.timeoutMs = timeoutMs;
        this.client = client;
        source = CancellationTokenSource.CreateLinkedTokenSource(client);
        source.CancelAfter(timeoutMs);
    }

    public CancellationToken Token => source.Token;

    public static WorkBudget Start(LimitsOptions limits, CancellationToken client) => new(limits.ImageWorkTimeoutMs, client);

    public T Run<T>(Func<CancellationToken, T> work)
    {
        try
        {
            StopIfSpent();
            var result = work(source.Token);
            StopIfSpent();
            return result;
        }
        catch (OperationCanceledException) when (!client.IsCancellationRequested)
        {
            throw Exhausted();
        }
    }

    public async Task<T> Run<T>(Func<CancellationToken, Task<T>> work)
    {
        try
        {
            StopIfSpent();
            var result = await work(source.Token);
            StopIfSpent();
            return result;
        }
        catch (OperationCanceledException) when (!client.IsCancellationRequested)
        {
            throw Exhausted();
        }
    }

    public void Dispose() => source.Dispose();

    /// <summary>
    /// The budget's timer fires on the thread pool, which a busy process may start late; each stage therefore also
    /// reads the clock before it begins and after it ends, so a stage never starts once the budget is spent, and one
    /// that ran past it while the timer was late is refused all the same.
    /// </summary>
    private void StopIfSpent()
    {
        if (Stopwatch.GetElapsedTime(started).TotalMilliseconds >= timeoutMs)
        {
            source.Cancel();
        }

        source.Token.ThrowIfCancellationRequested();
    }

    private HttpProblemException Exhausted() => new(
        StatusCodes.Status503ServiceUnavailable,
        "Time budget exceeded",
        $"Decoding and filtering this image took longer than the {timeoutMs:N0} ms budget (ConvService:Limits:ImageWorkTimeoutMs), so the work was stopped. Send a smaller or simpler image.",
        TimeSpan.FromSeconds(1));
}
