using ConvService.Inference.Serving.Repository;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Models;

/// <summary>
/// Loads the repository at start-up (before the server takes requests) and rescans it every PollSeconds, so
/// replicas sharing a volume pick up new, changed and removed models without a restart.
/// </summary>
public sealed class ModelRepositoryHost(ModelRepository repository, IOptions<ModelsOptions> options, ILogger<ModelRepositoryHost> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Model repository at {Folder}", repository.Folder);
        repository.Scan();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Queued requests are answered while the host's shutdown timeout allows, not longer.
            await repository.DisposeAsync().AsTask().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown timed out while models were still answering queued requests");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PollSeconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                repository.Scan();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A volume that is briefly unavailable must not stop polling.
                logger.LogWarning(e, "Scanning the model repository failed; retrying in {Seconds} s", options.Value.PollSeconds);
            }
        }
    }

    /// <summary>Writes repository events to the service log: failures as warnings so a bad folder is noticed.</summary>
    public static void Log(ILogger logger, RepositoryEvent e)
    {
        if (e.Kind is RepositoryEventKind.Failed or RepositoryEventKind.Skipped)
        {
            logger.LogWarning("Model {Model} {Kind}: {Message}", e.Model, e.Kind, e.Message);
        }
        else
        {
            logger.LogInformation("Model {Model} {Kind}: {Message}", e.Model, e.Kind, e.Message);
        }
    }
}
