extern alias Api;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Api::ConvService.Api.Images;
using Api::ConvService.Api.Infrastructure;
using ConvService.Contracts.Models;
using ConvService.Inference.Engine;
using ConvService.Inference.Onnx;
using ConvService.Inference.Serving.Execution;
using ConvService.Inference.Serving.Repository;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Bench.Serving;

/// <summary>
/// Where an embed request's time goes, in process and stage by stage, as the service runs it: decode, preprocessing
/// (resize and normalisation, then the model's preprocessing graph), the engine alone on one thread and on every
/// thread, the executor (queue hand-off and thread share included) and the JSON answer. Stages are interleaved round
/// by round so a busy machine slows them alike; medians of wall time and of CPU time (the calling thread's, and the
/// process's, which includes the kernel worker threads and the garbage collector) are printed.
/// <c>--embed-probe [image.png or .jpg] [rounds]</c>, from the repository root after building src/Api in Release (the probe
/// loads the models folder of that build).
/// </summary>
internal static class EmbedProbe
{
    public static async Task RunAsync(string[] args)
    {
        var imagePath = args.Length > 0 ? args[0] : Path.Combine("samples", "chelsea.png");
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var threads = Environment.ProcessorCount;
        var folder = Path.Combine("src", "Api", "bin", "Release", "net10.0", "models");
        var engineOptions = EngineOptions.Default with { DegreeOfParallelism = threads };
        await using var repository = new ModelRepository(folder, new ServingOptions { Threads = ThreadBudget.PerCore() }, engineOptions);
        repository.Scan();
        var served = repository.Find("resnet18-features")?.Served
            ?? throw new InvalidOperationException("resnet18-features did not load: build src/Api in Release first and run from the repository root.");
        var preprocessGraph = OnnxModel.LoadFile(Path.Combine(folder, "resnet18-features", "preprocess.onnx"), engineOptions);
        var codec = new ImageCodec(Options.Create(new LimitsOptions()), Options.Create(new ImageOptions()));
        var bytes = await File.ReadAllBytesAsync(imagePath);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        // The codec's own decoder setup, to time ImageSharp's part of a decode apart from the codec's checks and planes.
        var imageSharp = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = new LimitsOptions().DecoderAllocationLimitMegabytes }),
        };
        imageSharp.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });

        var prepared = served.Preprocessor.PrepareImage(codec.Decode(bytes, gray: false).Planes);
        using var session = served.Model.CreateSession([[1, .. prepared.Shape]]);
        using var graphSession = preprocessGraph.CreateSession(1);
        var stages = new List<Stage>();
        Stage Named(string name)
        {
            var stage = stages.Find(s => s.Name == name);
            if (stage is null)
            {
                stages.Add(stage = new Stage(name));
            }

            return stage;
        }

        var gen2 = GC.CollectionCount(2);
        for (var round = -3; round < rounds; round++)
        {
            var keep = round >= 0;
            Named("decode into fresh planes (the filter endpoints' path)").Time(keep, () => codec.Decode(bytes, gray: false));
            using var decoded = Named("decode into pooled planes").Time(keep, () => codec.DecodeRentedAsync(bytes, CancellationToken.None).GetAwaiter().GetResult());
            Named("ImageSharp: format check and header (Identify), the fallback's first step").Time(keep, () => Image.Identify(imageSharp, bytes, out _));
            Named("ImageSharp: decode to Rgba32 (the fallback, and every PNG before the lean reader)").Time(keep, () =>
            {
                using var pixels = Image.Load<Rgba32>(imageSharp, bytes);
                return pixels.Width;
            });
            Named("ImageSharp: LoadAsync from a MemoryStream").Time(keep, () =>
            {
                using var stream = new MemoryStream(bytes, writable: false);
                using var pixels = Image.LoadAsync<Rgba32>(imageSharp, stream).GetAwaiter().GetResult();
                return pixels.Width;
            });
            using (var upload = Named("decode for the model (the endpoints' path: straight into its resampler when opaque)").Time(keep, () => codec.DecodeForModelAsync(bytes, served.Preprocessor, CancellationToken.None).GetAwaiter().GetResult()))
            {
                var finished = Named($"  then {(upload.Rows is null ? "preprocess the planes" : "normalise and the preprocessing graph")}").Time(keep, () => upload.Prepare(served.Preprocessor));
                served.Preprocessor.Return(finished.Tensor);
            }

            var image = Named("preprocess the planes (all)").Time(keep, () => served.Preprocessor.PrepareImage(decoded.Values.Span, decoded.Width, decoded.Height, decoded.Channels));
            Named("  of which the preprocessing graph").Time(keep, () =>
            {
                graphSession.Run(image.Tensor);
                return graphSession.Output(graphSession.Outputs[0].Name).ToArray();
            });
            foreach (var count in new[] { 1, threads })
            {
                session.Threads = count;
                image.Tensor.CopyTo(session.Input(session.Inputs[0].Name));
                Named($"engine alone, {count} thread(s)").Time(keep, () =>
                {
                    session.Run();
                    return 0;
                });
            }

            // Awaited, as the endpoints do: blocking this pool thread on the result made the pool add a thread to
            // make up for it, which then competed with the engine's helper for the two cores. (Its thread CPU column
            // is whichever thread the await resumed on, so only the wall and process columns mean anything.)
            var features = (await Named("executor (queue, share, run)").TimeAsync(keep, () =>
                served.Executor.RunAsync([image.Tensor], [image.Shape], CancellationToken.None))).Outputs[0];
            served.Preprocessor.Return(image.Tensor);
            Named("json").Time(keep, () => JsonSerializer.SerializeToUtf8Bytes(new EmbedResponse("resnet18-features", "1", features.Length, features, 1), json));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(imagePath)}, {rounds} rounds, {threads} cores, {GC.CollectionCount(2) - gen2} gen-2 collections; medians:"));
        Console.WriteLine("| stage | wall ms | thread CPU ms | process CPU ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var stage in stages)
        {
            Console.WriteLine(stage.Format());
        }
    }

    private sealed class Stage(string name)
    {
        private readonly List<double> wall = [];
        private readonly List<double> thread = [];
        private readonly List<double> process = [];

        public string Name { get; } = name;

        public T Time<T>(bool keep, Func<T> work)
        {
            var (t0, p0, w0) = (CpuClock.ThreadSeconds(), CpuClock.ProcessSeconds(), Stopwatch.GetTimestamp());
            var result = work();
            var (w1, t1, p1) = (Stopwatch.GetTimestamp(), CpuClock.ThreadSeconds(), CpuClock.ProcessSeconds());
            Keep(keep, w1 - w0, t1 - t0, p1 - p0);
            return result;
        }

        private void Keep(bool keep, long wallTicks, double threadSeconds, double processSeconds)
        {
            if (keep)
            {
                wall.Add(wallTicks * 1000.0 / Stopwatch.Frequency);
                thread.Add(threadSeconds * 1000);
                process.Add(processSeconds * 1000);
            }
        }

        public async Task<T> TimeAsync<T>(bool keep, Func<Task<T>> work)
        {
            var (t0, p0, w0) = (CpuClock.ThreadSeconds(), CpuClock.ProcessSeconds(), Stopwatch.GetTimestamp());
            var result = await work();
            var (w1, t1, p1) = (Stopwatch.GetTimestamp(), CpuClock.ThreadSeconds(), CpuClock.ProcessSeconds());
            Keep(keep, w1 - w0, t1 - t0, p1 - p0);
            return result;
        }

        public string Format() => string.Create(CultureInfo.InvariantCulture, $"| {Name} | {Median(wall):0.00} | {Median(thread):0.00} | {Median(process):0.00} |");

        private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }
}
