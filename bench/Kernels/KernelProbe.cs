using System.Diagnostics;
using ConvService.Inference.Kernels.Conv;

namespace ConvService.Bench.Kernels;

/// <summary>
/// A quick side-by-side timing of every catalogue layer (best of a few repetitions), for steering work between
/// full BenchmarkDotNet runs. Run: dotnet run -c Release --project bench -- --kernel-probe [threads] [layer filter,
/// or "resnet18" for every ResNet-18 convolution weighted by count] [algorithm to force, e.g. ImplicitGemm].
/// </summary>
public static class KernelProbe
{
    public static void Run(string[] args)
    {
        var threads = args.Length > 0 ? int.Parse(args[0]) : 1;
        var filter = args.Length > 1 ? args[1] : "";
        ConvAlgorithm? algorithm = args.Length > 2 ? Enum.Parse<ConvAlgorithm>(args[2]) : null;

        // PROBE_BATCH=n runs each layer on a batch of n images (GFLOP/s then count the whole batch).
        var batch = int.Parse(Environment.GetEnvironmentVariable("PROBE_BATCH") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        if (filter == "resnet18")
        {
            RunResNet18(threads);
            return;
        }

        Console.WriteLine($"{"layer",-22} {"algorithm",-18} {"ours GF/s",10} {"ORT GF/s",10} {"ours/ORT time",14} {"rel diff",10} {"B/run",6}");
        foreach (var name in ConvLayerCatalog.Names.Where(n => n.Contains(filter, StringComparison.OrdinalIgnoreCase)))
        {
            using var runners = new ConvLayerRunners(name, threads, batch, algorithm);
            var difference = runners.MaxRelativeDifference();
            var allocated = GC.GetTotalAllocatedBytes(true);
            for (var i = 0; i < 10; i++)
            {
                runners.RunOurs();
            }

            allocated = (GC.GetTotalAllocatedBytes(true) - allocated) / 10;
            var ours = Best(runners.RunOurs, threads);
            var ort = Best(runners.RunOnnxRuntime, threads);
            var flops = ConvLayerCatalog.Flops(name) * batch;
            Console.WriteLine($"{name,-22} {runners.Plan.Algorithm,-18} {flops / ours / 1e9,10:F1} {flops / ort / 1e9,10:F1} {ours / ort,14:F2} {difference,10:E1} {allocated,6}");
        }
    }

    /// <summary>Every ResNet-18 convolution shape, weighted by how often it occurs: a projection of the network's conv time.</summary>
    private static void RunResNet18(int threads)
    {
        double oursTotal = 0, ortTotal = 0, flops = 0;
        Console.WriteLine($"{"layer",-20} {"x",2} {"algorithm",-20} {"ours ms",9} {"ORT ms",9} {"ratio",6}");
        foreach (var (name, geometry, count) in ConvLayerCatalog.ResNet18)
        {
            using var runners = new ConvLayerRunners(geometry, threads);
            runners.MaxRelativeDifference();
            var ours = Best(runners.RunOurs, threads) * count;
            var ort = Best(runners.RunOnnxRuntime, threads) * count;
            oursTotal += ours;
            ortTotal += ort;
            flops += 2.0 * geometry.MacsPerImage * count;
            Console.WriteLine($"{name,-20} {count,2} {runners.Plan.Algorithm,-20} {ours * 1e3,9:F3} {ort * 1e3,9:F3} {ours / ort,6:F2}");
        }

        Console.WriteLine($"{"total",-20} {"",2} {"",-20} {oursTotal * 1e3,9:F3} {ortTotal * 1e3,9:F3} {oursTotal / ortTotal,6:F2}  ({flops / oursTotal / 1e9:F1} vs {flops / ortTotal / 1e9:F1} GFLOP/s)");
    }

    /// <summary>
    /// Best seconds per run over several timed batches, after a warm-up. With one thread it counts that thread's CPU
    /// time rather than wall time, so other work sharing the machine inflates it less; with more, wall time.
    /// </summary>
    private static double Best(Action run, int threads)
    {
        if (Environment.GetEnvironmentVariable("PROBE_COLD") == "1")
        {
            return BestCold(run, threads);
        }

        for (var i = 0; i < 3; i++)
        {
            run();
        }

        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (clock.ElapsedMilliseconds < 400)
        {
            run();
            calls++;
        }

        var perBatch = Math.Max(1, calls / 5);
        var best = double.MaxValue;
        for (var repeat = 0; repeat < 9; repeat++)
        {
            var start = threads == 1 ? CpuClock.ThreadSeconds() : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
            for (var i = 0; i < perBatch; i++)
            {
                run();
            }

            var stop = threads == 1 ? CpuClock.ThreadSeconds() : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
            best = Math.Min(best, (stop - start) / perBatch);
        }

        return best;
    }

    /// <summary>
    /// As <see cref="Best"/> but with the caches flushed before every run (64 MB written), as a layer meets its
    /// weights inside a network whose weights do not fit the cache.
    /// </summary>
    private static double BestCold(Action run, int threads)
    {
        var evict = new float[16 << 20];
        var best = double.MaxValue;
        for (var i = 0; i < 25; i++)
        {
            evict.AsSpan().Fill(i);
            var start = threads == 1 ? CpuClock.ThreadSeconds() : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
            run();
            var stop = threads == 1 ? CpuClock.ThreadSeconds() : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
            best = Math.Min(best, stop - start);
        }

        return best;
    }
}
