using System.Diagnostics;

namespace ConvService.Bench.Engine;

/// <summary>
/// The math and spatial operator benchmarks' cases, interleaved: each round times ONNX Runtime, the engine and a
/// plain copy of the input one after the other (five calls each, the median kept) and takes the round's ratio.
/// The median of those ratios survives a loaded, drifting host far better than BenchmarkDotNet's separate
/// measurements. Element-wise rows also report bytes moved per second (input read plus output written) against
/// the copy's.
/// Run: dotnet run -c Release --project bench -- --operator-probe [rounds] [case name part, e.g. Resize]
/// </summary>
internal static class OperatorProbe
{
    private const int CallsPerRound = 5;

    public static void Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 21;
        var only = args.Length > 1 ? args[1] : "";
        Console.WriteLine($"rounds {rounds}, {CallsPerRound} calls per engine per round; times in microseconds (medians)");
        Console.WriteLine("case | level | ORT | ours | copy | ratio (quartiles) | ours GB/s | copy GB/s");
        string[] math = ["Exp_1x64x112x112", "Gelu_1x64x112x112", "ReduceMean_1x256x56x56_HW", "LayerNormalization_1x197x768", "Softmax_1x1000"];
        foreach (var level in new[] { SimdLevel.Vector512, SimdLevel.Vector256 })
        {
            foreach (var name in math.Where(n => n.Contains(only, StringComparison.OrdinalIgnoreCase)))
            {
                using var benchmark = new MathOperatorBenchmarks { Case = name, Level = level };
                benchmark.Setup();
                var elementwise = name.StartsWith("Exp", StringComparison.Ordinal) || name.StartsWith("Gelu", StringComparison.Ordinal);
                Measure(name, level.ToString(), rounds, benchmark.OnnxRuntime, benchmark.ConvService, benchmark.CopyInput, elementwise ? 2L * 64 * 112 * 112 * sizeof(float) : 0);
            }
        }

        string[] spatial = ["ConvTranspose_256x32x32_to_128_k4s2", "ResizeBilinear_64x128x128_x2", "ResizeNearest_64x128x128_x2"];
        foreach (var name in spatial.Where(n => n.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            using var benchmark = new SpatialOperatorBenchmarks { Case = name };
            benchmark.Setup();
            Measure(name, "best", rounds, benchmark.OnnxRuntime, benchmark.ConvService, null, 0);
        }
    }

    private static void Measure(string name, string level, int rounds, Action ort, Action ours, Action? copy, long bytes)
    {
        // Warm up past tiered compilation: code with loops starts unoptimised and is recompiled after about 30
        // calls, in the background; give it calls and time.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < 60 || warmUp.Elapsed < TimeSpan.FromSeconds(1.5); i++)
        {
            ort();
            ours();
            copy?.Invoke();
        }

        var ortTimes = new List<double>();
        var oursTimes = new List<double>();
        var copyTimes = new List<double>();
        var ratios = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            // Alternate which engine goes first, so neither always inherits the other's cache state.
            double o, u;
            if (r % 2 == 0)
            {
                o = Time(ort);
                u = Time(ours);
            }
            else
            {
                u = Time(ours);
                o = Time(ort);
            }

            ortTimes.Add(o);
            oursTimes.Add(u);
            ratios.Add(u / o);
            if (copy is not null)
            {
                copyTimes.Add(Time(copy));
            }
        }

        ratios.Sort();
        var copyMedian = copy is null ? double.NaN : Median(copyTimes);
        var oursMedian = Median(oursTimes);
        var bandwidth = bytes == 0 ? "" : $"{bytes / oursMedian / 1e3:F1}";
        var copyBandwidth = bytes == 0 ? "" : $"{bytes / copyMedian / 1e3:F1}";
        Console.WriteLine(
            $"{name} | {level} | {Median(ortTimes):F1} | {oursMedian:F1} | {(copy is null ? "" : copyMedian.ToString("F1"))} | " +
            $"{ratios[rounds / 2]:F2} ({ratios[rounds / 4]:F2}-{ratios[rounds * 3 / 4]:F2}) | {bandwidth} | {copyBandwidth}");
    }

    /// <summary>The median of a few back-to-back calls, in microseconds.</summary>
    private static double Time(Action action)
    {
        Span<double> times = stackalloc double[CallsPerRound];
        for (var i = 0; i < CallsPerRound; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        times.Sort();
        return times[CallsPerRound / 2];
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
