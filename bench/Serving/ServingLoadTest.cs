using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace ConvService.Bench.Serving;

/// <summary>
/// Load test of the running service on 127.0.0.1: for each batching setting, one service process; for each model
/// and client count, closed-loop clients post the same image until the request or time bound is reached.
/// lenet5-mnist is driven through /predict with a held-out digit, resnet18-features through /embed with a photo.
/// </summary>
internal static class ServingLoadTest
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = LoadOptions.Parse(args);
        var root = RepositoryRoot();
        var served = options.Root ?? root;
        var results = new List<LoadResult>();
        foreach (var batching in options.Batching)
        {
            Console.WriteLine($"Starting the service of {served} with batching {(batching ? "on" : "off")} on port {options.Port} ...");
            await using var service = await ServiceProcess.StartAsync(served, options.Port, batching, queueLimit: Math.Max(64, options.Clients.Max() * 2), options.Build);
            using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromMinutes(10) };
            foreach (var model in options.Models)
            {
                var (path, image, name) = Request(root, model);
                await Run(client, path, image, name, 1, 1, TimeSpan.FromMinutes(10)); // warm-up: plans and sessions
                foreach (var clients in options.Clients)
                {
                    var result = await Run(client, path, image, name, clients, options.Requests, TimeSpan.FromSeconds(options.Seconds));
                    results.Add(result with { Model = model, Batching = batching });
                    Console.WriteLine(Format(results[^1]));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| model | batching | clients | requests ok | failed | req/s | p50 ms | p99 ms |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results.OrderBy(r => r.Model).ThenBy(r => r.Clients).ThenByDescending(r => r.Batching))
        {
            Console.WriteLine(Format(r));
        }

        return results.All(r => r.Failed == 0) ? 0 : 1;
    }

    private static string Format(LoadResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {r.Model} | {(r.Batching ? "on" : "off")} | {r.Clients} | {r.Ok} | {r.Failed} | {r.RequestsPerSecond:0.0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} |");

    private static (string Path, byte[] Image, string FileName) Request(string root, string model) => model switch
    {
        "resnet18-features" => ($"/api/models/{model}/embed", File.ReadAllBytes(Path.Combine(root, "samples", "chelsea.png")), "chelsea.png"),
        _ => ($"/api/models/{model}/predict", File.ReadAllBytes(Path.Combine(root, "bench", "Serving", "digit-2.png")), "digit-2.png"),
    };

    private static async Task<LoadResult> Run(HttpClient client, string path, byte[] image, string fileName, int clients, int requests, TimeSpan limit)
    {
        var latencies = new List<double>(requests);
        var failed = 0;
        var started = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(async _ =>
        {
            while (clock.Elapsed < limit && Interlocked.Increment(ref started) <= requests)
            {
                using var form = new MultipartFormDataContent();
                var file = new ByteArrayContent(image);
                file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                form.Add(file, "image", fileName);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsync(path, form);
                    await response.Content.ReadAsByteArrayAsync();
                    var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    if (response.IsSuccessStatusCode)
                    {
                        lock (latencies)
                        {
                            latencies.Add(ms);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        return LoadResult.From(path, false, clients, latencies, failed, clock.Elapsed.TotalSeconds);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConvService.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Run the load test from inside the repository (no ConvService.sln found above the current folder).");
    }
}
