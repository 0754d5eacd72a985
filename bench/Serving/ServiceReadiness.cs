using System.Diagnostics;

namespace ConvService.Bench.Serving;

/// <summary>Waits for a started service process to answer its readiness probe.</summary>
public static class ServiceReadiness
{
    /// <summary>True once /v2/health/ready answers 2xx; false when <paramref name="limit"/> passes first; throws if the process exits.</summary>
    public static async Task<bool> WaitAsync(Process process, Uri address, TimeSpan limit, TimeSpan poll)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {process.ExitCode} before it was ready.");
            }

            try
            {
                if ((await client.GetAsync("/v2/health/ready")).IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Still building or starting.
            }

            await Task.Delay(poll);
        }

        return false;
    }
}
