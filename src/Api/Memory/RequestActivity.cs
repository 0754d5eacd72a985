using System.Diagnostics;

namespace ConvService.Api.Memory;

/// <summary>Requests in flight and when the last one ended, so memory is trimmed only while nothing runs.</summary>
public sealed class RequestActivity
{
    private int inFlight;
    private long lastEnded = Stopwatch.GetTimestamp();

    public int InFlight => Volatile.Read(ref inFlight);

    public TimeSpan IdleFor => InFlight > 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(Interlocked.Read(ref lastEnded));

    public async Task Track(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Exchange(ref lastEnded, Stopwatch.GetTimestamp());
            Interlocked.Decrement(ref inFlight);
        }
    }
}
