using Microsoft.Extensions.Options;

namespace ConvService.Api.Memory;

/// <summary>
/// Hands a burst's memory back once the service is idle. The GC keeps a heap sized for the peak and the shared
/// array pools keep their arrays; under load that is what makes it fast, but after load it held RSS hundreds of
/// MB above the idle baseline for minutes. An aggressive collection decommits the free heap and trims the pools.
/// </summary>
public sealed class IdleMemoryTrimmer(RequestActivity activity, IOptions<MemoryOptions> options, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.IdleTrimSeconds == 0)
        {
            return;
        }

        var idle = TimeSpan.FromSeconds(settings.IdleTrimSeconds);
        var threshold = settings.TrimAfterAllocatedMegabytes * 1024L * 1024;
        var allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, settings.IdleTrimSeconds / 2.0)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var allocated = GC.GetTotalAllocatedBytes();
                if (activity.IdleFor < idle || allocated - allocatedAtLastTrim < threshold)
                {
                    continue;
                }

                var before = Environment.WorkingSet;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
                logger.LogInformation("Idle: memory trimmed from {Before} MiB to {After} MiB resident", before >> 20, Environment.WorkingSet >> 20);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
