using System.Diagnostics;
using System.Globalization;

namespace ConvService.Bench.Reliability;

/// <summary>
/// Runs against the real service process on loopback, bounded in time and clients:
/// <c>reliability mixed [seconds] [clients] [badShare]</c> (load with bad requests, then memory for 90 s after),
/// <c>reliability soak [seconds] [clients]</c> (resident memory every 30 s) and
/// <c>reliability sigterm [clients]</c> (SIGTERM under load). Extra <c>KEY=VALUE</c> arguments become the
/// service's environment (e.g. DOTNET_gcServer=1).
/// </summary>
internal static class ReliabilityRun
{
    private const int Port = 5189;

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = args.Where(a => a.Contains('=')).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var numbers = args.Skip(1).Where(a => !a.Contains('=')).ToArray();
        double Arg(int i, double fallback) => i < numbers.Length ? double.Parse(numbers[i], CultureInfo.InvariantCulture) : fallback;
        var root = FindRoot();
        Console.WriteLine($"{DateTime.UtcNow:u} {args.FirstOrDefault()} {string.Join(' ', args.Skip(1))}; {Environment.ProcessorCount} cores");
        return args.FirstOrDefault() switch
        {
            "mixed" => await Mixed(root, settings, TimeSpan.FromSeconds(Arg(0, 60)), (int)Arg(1, 64), Arg(2, 0.1)),
            "soak" => await Soak(root, settings, TimeSpan.FromSeconds(Arg(0, 600)), (int)Arg(1, 16)),
            "sigterm" => await Sigterm(root, settings, (int)Arg(0, 32)),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: reliability mixed [seconds] [clients] [badShare] | soak [seconds] [clients] | sigterm [clients] [KEY=VALUE ...]");
        return 2;
    }

    private static async Task<int> Mixed(string root, Dictionary<string, string> settings, TimeSpan duration, int clients, double badShare)
    {
        await using var service = await BuiltService.StartAsync(root, Port, settings);
        var requests = new MixedRequests(root);
        await Drive(service, requests, 4, 0, TimeSpan.FromSeconds(5), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idle = service.ResidentBytes();

        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, service.ResidentBytes());
                await Task.Delay(1000);
            }
        });
        var tally = await Drive(service, requests, clients, badShare, duration, CancellationToken.None);
        await sampling.CancelAsync();
        await sampler;

        var (p50, p99) = tally.Percentiles();
        Console.WriteLine($"| clients | seconds | bad share | 2xx | 4xx | 5xx | unanswered | p50 ms | p99 ms | error log lines |");
        Console.WriteLine($"| {clients} | {duration.TotalSeconds:0} | {badShare:P0} | {tally.Ok} | {tally.ClientErrors} | {tally.ServerErrors} | {tally.Unanswered} | {p50:0.0} | {p99:0.0} | {service.ErrorLines.Count} |");
        Console.WriteLine($"statuses: {tally.Statuses}");
        Console.WriteLine($"RSS idle {MiB(idle)} MiB, peak {MiB(peak)} MiB; after the load:");
        for (var s = 0; s <= 90; s += 15)
        {
            Console.WriteLine($"  +{s,2} s: {MiB(service.ResidentBytes())} MiB ({MiB(service.ResidentBytes() - idle):+0;-0} over idle)");
            await Task.Delay(TimeSpan.FromSeconds(15));
        }

        foreach (var line in service.ErrorLines.Take(10))
        {
            Console.WriteLine(line);
        }

        return tally.ServerErrors == 0 && tally.Unanswered == 0 ? 0 : 1;
    }

    private static async Task<int> Soak(string root, Dictionary<string, string> settings, TimeSpan duration, int clients)
    {
        await using var service = await BuiltService.StartAsync(root, Port, settings);
        var requests = new MixedRequests(root);
        var samples = new List<(double Minutes, long Bytes)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var load = Drive(service, requests, clients, 0.1, duration, stop.Token);

        // One sample every 5 s: a single sample can land in a burst of image requests (+/-15 MiB), so a slope over
        // a few 30 s samples moves by about 1 MiB/min with where they happen to fall. Printed every 30 s.
        while (!load.IsCompleted)
        {
            samples.Add((clock.Elapsed.TotalMinutes, service.ResidentBytes()));
            if (samples.Count % 6 == 1)
            {
                Console.WriteLine($"  {clock.Elapsed.TotalMinutes,5:0.0} min: {MiB(samples[^1].Bytes)} MiB");
            }

            await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(5)));
        }

        var tally = await load;
        var stopped = service.ResidentBytes();

        // Slope by least squares over the samples taken under load after the first two minutes of warm-up; the
        // sample taken as the load stops is reported beside it, not fitted, since the load no longer shapes it.
        var warm = samples.Where(s => s.Minutes >= 2).ToList();
        var mx = warm.Average(s => s.Minutes);
        var my = warm.Average(s => (double)s.Bytes);
        var slope = warm.Sum(s => (s.Minutes - mx) * (s.Bytes - my)) / warm.Sum(s => (s.Minutes - mx) * (s.Minutes - mx));
        var minutes = warm.GroupBy(s => (int)s.Minutes).Select(m => $"{m.Key}: {MiB(m.Min(s => s.Bytes))}-{MiB(m.Max(s => s.Bytes))}");
        Console.WriteLine($"RSS range per minute under load (MiB): {string.Join(", ", minutes)}; when the load stopped: {MiB(stopped)}");
        var (p50, p99) = tally.Percentiles();
        Console.WriteLine($"| clients | minutes | 2xx | 4xx | 5xx | unanswered | p50 ms | p99 ms | RSS at 2 min | RSS last under load | samples fitted | slope after warm-up |");
        Console.WriteLine($"| {clients} | {duration.TotalMinutes:0} | {tally.Ok} | {tally.ClientErrors} | {tally.ServerErrors} | {tally.Unanswered} | {p50:0.0} | {p99:0.0} | {MiB(warm[0].Bytes)} MiB | {MiB(warm[^1].Bytes)} MiB | {warm.Count} | {slope / (1024 * 1024):+0.00;-0.00} MiB/min |");
        Console.WriteLine($"statuses: {tally.Statuses}");
        return tally.ServerErrors == 0 ? 0 : 1;
    }

    private static async Task<int> Sigterm(string root, Dictionary<string, string> settings, int clients)
    {
        await using var service = await BuiltService.StartAsync(root, Port, settings);
        var requests = new MixedRequests(root);
        using var stop = new CancellationTokenSource();
        var load = Drive(service, requests, clients, 0, TimeSpan.FromSeconds(30), stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        service.Terminate();
        await service.Process.WaitForExitAsync();
        var exitSeconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        var tally = await load;
        Console.WriteLine("| clients | 2xx | 4xx | 5xx | refused or reset | exit code | seconds to exit |");
        Console.WriteLine($"| {clients} | {tally.Ok} | {tally.ClientErrors} | {tally.ServerErrors} | {tally.Unanswered} | {service.Process.ExitCode} | {exitSeconds:0.0} |");
        Console.WriteLine($"statuses: {tally.Statuses}");
        return tally.ServerErrors == 0 && service.Process.ExitCode == 0 ? 0 : 1;
    }

    /// <summary>Closed-loop clients sending the mix until the time is up or <paramref name="stop"/> fires.</summary>
    private static async Task<LoadTally> Drive(BuiltService service, MixedRequests requests, int clients, double badShare, TimeSpan duration, CancellationToken stop)
    {
        var tally = new LoadTally();
        var clock = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(60) };
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            var random = new Random(1000 + i);
            while (clock.Elapsed < duration && !stop.IsCancellationRequested)
            {
                using var request = requests.Next(random, badShare);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    tally.Add((int)response.StatusCode, Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    tally.AddUnanswered();
                    if (stop.IsCancellationRequested || service.Process.HasExited)
                    {
                        return;
                    }

                    await Task.Delay(50);
                }
            }
        }));
        return tally;
    }

    private static string MiB(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConvService.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Run from inside the repository.");
    }
}
