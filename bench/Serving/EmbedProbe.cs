extern alias Api;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Api::ConvService.Api.Images;
using Api::ConvService.Api.Infrastructure;
using ConvService.Contracts.Models;
using ConvService.Inference.Engine;
using ConvService.Inference.Serving.Execution;
using ConvService.Inference.Serving.Repository;
using Microsoft.Extensions.Options;

namespace ConvService.Bench.Serving;

/// <summary>
/// Where an embed request's time goes, in process and stage by stage, as the service runs it: decode, preprocessing
/// (resize and the model's preprocessing graph), the engine alone on one thread and on every thread, the executor
/// (queue hand-off and thread share included) and the JSON answer. The stages are interleaved round by round so a
/// busy machine slows them alike; medians are printed. <c>--embed-probe [image.png] [rounds]</c>, run from the
/// repository root after building src/Api in Release (the probe loads the models folder of that build).
/// </summary>
internal static class EmbedProbe
{
    public static async Task RunAsync(string[] args)
    {
        var imagePath = args.Length > 0 ? args[0] : Path.Combine("samples", "chelsea.png");
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var threads = Environment.ProcessorCount;
        var serving = new ServingOptions { Threads = ThreadBudget.PerCore() };
        await using var repository = new ModelRepository(
            Path.Combine("src", "Api", "bin", "Release", "net10.0", "models"),
            serving,
            EngineOptions.Default with { DegreeOfParallelism = threads });
        repository.Scan();
        var served = repository.Find("resnet18-features")?.Served
            ?? throw new InvalidOperationException("resnet18-features did not load: build src/Api in Release first and run from the repository root.");
        var codec = new ImageCodec(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));
        var bytes = await File.ReadAllBytesAsync(imagePath);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var prepared = served.Preprocessor.PrepareImage(codec.Decode(bytes, gray: false).Planes);
        using var session = served.Model.CreateSession([[1, .. prepared.Shape]]);
        var stages = new[] { "decode", "preprocess", "engine 1 thread", $"engine {threads} threads", "executor", "json", "decode+preprocess+executor+json" };
        var times = stages.ToDictionary(s => s, _ => new List<double>());
        for (var round = -3; round < rounds; round++)
        {
            var clock = Stopwatch.GetTimestamp();
            var decoded = codec.Decode(bytes, gray: false);
            var decodeMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;

            clock = Stopwatch.GetTimestamp();
            var image = served.Preprocessor.PrepareImage(decoded.Planes);
            var preprocessMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;

            var engine = new double[2];
            foreach (var (count, slot) in new[] { (1, 0), (threads, 1) })
            {
                session.Threads = count;
                image.Tensor.CopyTo(session.Input(session.Inputs[0].Name));
                clock = Stopwatch.GetTimestamp();
                session.Run();
                engine[slot] = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
            }

            clock = Stopwatch.GetTimestamp();
            var features = (await served.Executor.RunAsync([image.Tensor], [image.Shape], CancellationToken.None)).Outputs[0];
            var executorMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;

            clock = Stopwatch.GetTimestamp();
            var answer = JsonSerializer.SerializeToUtf8Bytes(new EmbedResponse("resnet18-features", "1", features.Length, features, executorMs), json);
            var jsonMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
            if (round < 0 || answer.Length == 0)
            {
                continue;
            }

            times["decode"].Add(decodeMs);
            times["preprocess"].Add(preprocessMs);
            times["engine 1 thread"].Add(engine[0]);
            times[$"engine {threads} threads"].Add(engine[1]);
            times["executor"].Add(executorMs);
            times["json"].Add(jsonMs);
            times["decode+preprocess+executor+json"].Add(decodeMs + preprocessMs + executorMs + jsonMs);
        }

        Console.WriteLine($"{Path.GetFileName(imagePath)}, {rounds} rounds, {threads} cores, medians:");
        foreach (var stage in stages)
        {
            var sorted = times[stage].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stage} | {sorted[sorted.Length / 2]:0.00} ms | min {sorted[0]:0.00} |"));
        }
    }
}
