using ConvService.Api.Infrastructure;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Classifiers;

/// <summary>Admits at most ConvService:Classifiers:MaxConcurrentTrainings trainings at once; the rest are refused at once, not queued.</summary>
public sealed class TrainingSlots(IOptions<ClassifiersOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentTrainings, options.Value.MaxConcurrentTrainings);

    /// <summary>A slot, released by disposing it; 503 when all are taken.</summary>
    public IDisposable Take()
    {
        if (!slots.Wait(0))
        {
            throw new HttpProblemException(
                StatusCodes.Status503ServiceUnavailable,
                "Training slots are full",
                $"{options.Value.MaxConcurrentTrainings} classifier training(s) already running ({ClassifiersOptions.Section}:MaxConcurrentTrainings). Try again when it has finished.",
                TimeSpan.FromSeconds(5));
        }

        return new Slot(slots);
    }

    public void Dispose() => slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
