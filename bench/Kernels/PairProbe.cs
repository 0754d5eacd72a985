using System.Diagnostics;
using ConvService.Inference.Kernels.Conv;

namespace ConvService.Bench.Kernels;

/// <summary>
/// Separates the machine from the kernel when two threads scale badly: one layer alone on one thread, two
/// independent copies on two threads at once (shared caches and memory only), and one plan split over two workers.
/// Run: dotnet run -c Release --project bench -- --pair-probe "3x3 128-128 28x28" [algorithm].
/// </summary>
public static class PairProbe
{
    public static void Run(string layer, ConvAlgorithm? algorithm)
    {
        using var first = new ConvLayerRunners(layer, 1, 1, algorithm);
        using var second = new ConvLayerRunners(layer, 1, 1, algorithm);
        using var split = new ConvLayerRunners(layer, 2, 1, algorithm);
        Loop(first, 50);
        Loop(second, 50);
        Loop(split, 50);

        var alone = Enumerable.Range(0, 5).Min(_ => Loop(first, 100));
        var together = double.MaxValue;
        for (var repeat = 0; repeat < 5; repeat++)
        {
            double a = 0, b = 0;
            var one = new Thread(() => a = Loop(first, 100));
            var two = new Thread(() => b = Loop(second, 100));
            one.Start();
            two.Start();
            one.Join();
            two.Join();
            together = Math.Min(together, Math.Max(a, b));
        }

        var before = ConvService.Inference.Workers.KernelWorkers.Counts;
        var shared = Enumerable.Range(0, 5).Min(_ => Loop(split, 100));
        var after = ConvService.Inference.Workers.KernelWorkers.Counts;
        Console.WriteLine(
            $"{layer,-22} alone {alone:F3} ms; two independent threads {together:F3} ms each ({together / alone:F2}x); " +
            $"one plan on two workers {shared:F3} ms ({alone / shared:F2}x speed-up); of {after.Calls - before.Calls} parallel calls, " +
            $"{after.WakeUps - before.WakeUps} woke a sleeping helper and {after.Revoked - before.Revoked} took a late helper's share back");
    }

    /// <summary>Milliseconds per run over <paramref name="runs"/> back-to-back runs.</summary>
    private static double Loop(ConvLayerRunners runners, int runs)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < runs; i++)
        {
            runners.RunOurs();
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / runs;
    }
}
