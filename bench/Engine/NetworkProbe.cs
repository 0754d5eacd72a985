using System.Diagnostics;
using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Workers;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace ConvService.Bench.Engine;

/// <summary>
/// A quick ResNet-18 comparison for steering work between full BenchmarkDotNet runs: ours and ONNX Runtime
/// alternate block by block (so drift of the host hits both alike), then our steps are profiled one by one.
/// Run: dotnet run -c Release --project bench -- --network-probe [threads] [batch] [rounds] [simd level], the level
/// (Scalar, Vector128, Vector256, Vector512) defaulting to the widest this CPU accelerates.
/// </summary>
public static class NetworkProbe
{
    public static void Run(string[] args)
    {
        var threads = args.Length > 0 ? int.Parse(args[0]) : 1;
        var batch = args.Length > 1 ? int.Parse(args[1]) : 1;
        var rounds = args.Length > 2 ? int.Parse(args[2]) : 30;
        var level = args.Length > 3 ? Enum.Parse<SimdLevel>(args[3], ignoreCase: true) : SimdCapabilities.Best;
        Console.WriteLine($"our engine at {level} (the CPU's widest: {SimdCapabilities.Best})");
        var bytes = File.ReadAllBytes(ModelFiles.ResNet18);
        var random = new Random(1);
        var input = Enumerable.Range(0, batch * 3 * 224 * 224).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        var output = new float[batch * 512];
        var expected = new float[batch * 512];
        using var ours = OnnxModel.Load(bytes, new EngineOptions { DegreeOfParallelism = threads, Simd = level }).CreateSession(batch);

        var proto = ModelProto.Parser.ParseFrom(bytes);
        proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam = "N";
        proto.Graph.Output[0].Type.TensorType.Shape.Dim[0].DimParam = "N";
        proto.Graph.ValueInfo.Clear();
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var ort = new InferenceSession(proto.ToByteArray(), options);
        using var runOptions = new RunOptions();
        using var ortInput = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, 224, 224]);
        using var ortOutput = OrtValue.CreateTensorValueFromMemory(expected, [batch, 512, 1, 1]);
        string[] inputNames = [proto.Graph.Input[0].Name], outputNames = [proto.Graph.Output[0].Name];
        var skipOrt = Environment.GetEnvironmentVariable("PROBE_ONLY_OURS") == "1";

        // PROBE_AB=NAME=value: the baseline becomes a second session of ours, loaded with that environment variable
        // set, for an A/B comparison of an engine setting under the same drift.
        using var baseline = Environment.GetEnvironmentVariable("PROBE_AB") is { } setting ? LoadWith(setting, bytes, threads, batch) : null;
        var baselineOutput = new float[batch * 512];
        void RunOrt()
        {
            if (baseline != null)
            {
                baseline.Run(input, baselineOutput);
            }
            else if (!skipOrt)
            {
                ort.Run(runOptions, inputNames, [ortInput], outputNames, [ortOutput]);
            }
        }

        void RunOurs() => ours.Run(input, output);

        // Warm until the runtime has recompiled the engine's hot paths (tiered compilation promotes a method after 30
        // calls, compiling it on a background thread that shares the two cores): with five warm-up runs the first
        // five or six rounds of ours ran 1.5-3 times their steady time while ONNX Runtime's, native code, did not.
        for (var i = 0; i < 60; i++)
        {
            RunOrt();
            RunOurs();
        }

        // Against the second session of ours in an A/B run (ORT's buffer is then never written).
        var reference = baseline != null ? baselineOutput : expected;
        var worst = 0.0;
        for (var i = 0; i < output.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(output[i] - reference[i]) / Math.Max(1e-3, Math.Abs(reference[i])));
        }

        // Blocks of four runs each, timing the last three: the first run after the other engine's block would pay
        // for its evicting the caches. Each block starts after a pause: ONNX Runtime's intra-op threads spin for
        // tens of milliseconds after its last run (two of our runs at batch 1), holding the second core away from
        // our helper, and ours spin briefly too; in a service only one engine runs.
        var settle = TimeSpan.FromMilliseconds(int.Parse(Environment.GetEnvironmentVariable("PROBE_SETTLE_MS") ?? "200"));
        var oursTimes = new double[rounds * 3];
        var ortTimes = new double[rounds * 3];
        for (var r = 0; r < rounds; r++)
        {
            Thread.Sleep(settle);
            RunOrt();
            for (var i = 0; i < 3; i++)
            {
                ortTimes[r * 3 + i] = Time(RunOrt);
            }

            Thread.Sleep(settle);
            RunOurs();
            for (var i = 0; i < 3; i++)
            {
                oursTimes[r * 3 + i] = Time(RunOurs);
            }
        }

        // Each round's ratio of medians (both engines ran within a second of each other), then the median of those:
        // steadier than the ratio of overall medians when the host's speed changes between rounds.
        var roundRatios = Enumerable.Range(0, rounds)
            .Select(r => oursTimes.Skip(r * 3).Take(3).Order().ElementAt(1) / ortTimes.Skip(r * 3).Take(3).Order().ElementAt(1))
            .Order().ToArray();
        var roundRatio = roundRatios[rounds / 2];
        rounds *= 3;

        if (Environment.GetEnvironmentVariable("PROBE_TIMES") == "1")
        {
            Console.WriteLine("  ours: " + string.Join(" ", oursTimes.Select(t => (t * 1e3).ToString("F1"))));
            Console.WriteLine("  ORT:  " + string.Join(" ", ortTimes.Select(t => (t * 1e3).ToString("F1"))));
        }

        Array.Sort(oursTimes);
        Array.Sort(ortTimes);
        double oursMedian = oursTimes[rounds / 2], ortMedian = ortTimes[rounds / 2];
        Console.WriteLine($"ResNet-18 batch {batch}, {threads} thread(s), {rounds} timed runs each, in alternating blocks, max rel diff {worst:E1}");
        Console.WriteLine($"  median ms: ours {oursMedian * 1e3:F2}  ORT {ortMedian * 1e3:F2}  ratio {oursMedian / ortMedian:F2}");
        Console.WriteLine($"  best ms:   ours {oursTimes[0] * 1e3:F2}  ORT {ortTimes[0] * 1e3:F2}  ratio {oursTimes[0] / ortTimes[0]:F2}");
        Console.WriteLine($"  median of per-round ratios {roundRatio:F2} (quartiles {roundRatios[rounds / 12]:F2}-{roundRatios[rounds * 3 / 12]:F2})");

        // How often a run paid for waking a helper that had gone to sleep, or ran a late helper's shares itself.
        var before = KernelWorkers.Counts;
        for (var i = 0; i < 20; i++)
        {
            RunOurs();
        }

        var after = KernelWorkers.Counts;
        Console.WriteLine($"  per run: {(after.Calls - before.Calls) / 20.0:F1} parallel calls, {(after.WakeUps - before.WakeUps) / 20.0:F1} helper wake-ups, {(after.Revoked - before.Revoked) / 20.0:F1} shares taken back");

        if (Environment.GetEnvironmentVariable("PROBE_ORT_PROFILE") == "1")
        {
            ProfileOnnxRuntime(proto.ToByteArray(), threads, input, batch);
        }

        // Per-step profile: the median of several timed runs for each step.
        var profiles = Enumerable.Range(0, 9).Select(_ => ours.Profile(input)).ToArray();
        var groups = new Dictionary<string, (int Count, double Seconds)>();
        for (var s = 0; s < profiles[0].Count; s++)
        {
            var median = profiles.Select(p => p[s].Seconds).Order().ElementAt(profiles.Length / 2);
            var name = profiles[0][s].Step;
            groups[name] = groups.TryGetValue(name, out var g) ? (g.Count + 1, g.Seconds + median) : (1, median);
        }

        var total = groups.Values.Sum(g => g.Seconds);
        Console.WriteLine($"  steps (sum of medians {total * 1e3:F2} ms):");
        foreach (var (name, (count, seconds)) in groups.OrderByDescending(g => g.Value.Seconds))
        {
            Console.WriteLine($"    {seconds * 1e3,8:F3} ms {seconds / total,6:P1}  x{count,-2} {name}");
        }
    }

    /// <summary>ONNX Runtime's own per-node profile of a few runs, grouped by node kind and shape.</summary>
    public static void ProfileOnnxRuntime(byte[] model, int threads, float[] input, int batch)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        options.EnableProfiling = true;
        options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), "ort-profile");
        using var session = new InferenceSession(model, options);
        var name = session.InputMetadata.Keys.First();
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, 224, 224]);
        const int runs = 10;
        for (var i = 0; i < runs + 3; i++)
        {
            using var results = session.Run(new RunOptions(), [name], [value], session.OutputNames);
        }

        var file = session.EndProfiling();
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        var groups = new Dictionary<string, (int Count, double Micros)>();
        foreach (var e in json.RootElement.EnumerateArray())
        {
            if (e.GetProperty("cat").GetString() != "Node" || !e.GetProperty("name").GetString()!.EndsWith("_kernel_time", StringComparison.Ordinal))
            {
                continue;
            }

            var args = e.GetProperty("args");
            var op = args.GetProperty("op_name").GetString();
            var shape = args.TryGetProperty("output_type_shape", out var s) ? s.ToString() : "";
            var key = $"{op} {shape}";
            var micros = e.GetProperty("dur").GetDouble();
            groups[key] = groups.TryGetValue(key, out var g) ? (g.Count + 1, g.Micros + micros) : (1, micros);
        }

        // Skip the three warm-up runs by scaling: every node ran runs + 3 times.
        var total = groups.Values.Sum(g => g.Micros) / (runs + 3);
        Console.WriteLine($"  ONNX Runtime nodes (mean per run {total / 1e3:F2} ms):");
        foreach (var (key, (count, micros)) in groups.OrderByDescending(g => g.Value.Micros))
        {
            var perRun = micros / (runs + 3);
            Console.WriteLine($"    {perRun / 1e3,8:F3} ms {perRun / total,6:P1}  x{count / (runs + 3),-2} {key}");
        }

        File.Delete(file);
    }

    private static ModelSession LoadWith(string setting, byte[] bytes, int threads, int batch)
    {
        var (name, value) = (setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
        Environment.SetEnvironmentVariable(name, value);
        try
        {
            return OnnxModel.Load(bytes, new EngineOptions { DegreeOfParallelism = threads }).CreateSession(batch);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    private static double Time(Action run)
    {
        var start = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
