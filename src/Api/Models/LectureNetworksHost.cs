using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;
using ConvService.Inference.Networks.BuiltIn;
using ConvService.Inference.Networks.Instantiation;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Repository;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Models;

/// <summary>
/// Serves the lecture's networks (LeNet-5, AlexNet, GoogLeNet, ResNet...) from their specs with seeded random
/// weights, so activation maps and timings work for all of them without downloaded weights. Built in the
/// background: a large network takes seconds to write and pack, and must not hold up start-up.
/// </summary>
public sealed class LectureNetworksHost(ModelRepository repository, IOptions<ModelsOptions> options, ILogger<LectureNetworksHost> logger)
    : BackgroundService
{
    public static IReadOnlyList<string> Names(ModelsOptions options) =>
        options.LectureNetworks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Stops without waiting for a network still being built (writing and packing one is not cancellable and can
    /// take seconds): it runs on a pool thread, which does not keep the process alive, and its result is not needed.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromMilliseconds(200));
        await base.StopAsync(patience.Token);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            foreach (var name in Names(options.Value))
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    Register(name);
                }
                catch (Exception e) when (e is ConvServiceException or OutOfMemoryException)
                {
                    // A teaching network too large for the memory limit is skipped; it must not stop the service.
                    logger.LogWarning("Lecture network {Network} not served: {Reason}", name, e.Message);
                }
            }

            // Writing the networks leaves hundreds of megabytes of ONNX bytes on the large object heap, and an idle
            // service allocates too little to trigger the collection that would return them: collect once, now.
            if (Names(options.Value).Count > 0)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
        },
        stoppingToken);

    private void Register(string name)
    {
        if (!BuiltInNetworks.TryGet(name, out var spec))
        {
            throw ConvServiceException.InvalidInput(
                "Unknown network", $"'{name}' in ConvService:Models:LectureNetworks is not a built-in network; see GET /api/networks.");
        }

        var model = NetworkGraphWriter.Write(spec, seed: options.Value.LectureSeed);

        // The writer has already walked (and validated) the spec: the output's size per image is the class count.
        var classes = (int)model.Graph.Output[0].Type.TensorType.Shape.Dim.Skip(1).Aggregate(1L, (p, d) => p * d.DimValue);
        repository.Register(name, model.ToByteArray(), Describe(name, spec, classes));
    }

    private ModelDescriptor Describe(string name, NetworkSpec spec, int classes) => new()
    {
        Name = name,
        DisplayName = $"{spec.Name ?? name} (random weights)",
        Task = ModelTasks.Classify,
        Version = $"seed-{options.Value.LectureSeed}",
        Description = $"{spec.Description} Built from the network spec with seeded random weights: its activation maps show the architecture, its predictions mean nothing.",
        Input = new InputDescriptor { Name = NetworkGraphWriter.InputName, Channels = spec.Input[0], Height = spec.Input[1], Width = spec.Input[2] },
        Preprocessing = new PreprocessingDescriptor { Grayscale = spec.Input[0] == 1, Scale = 1f / 255f },
        Labels = Enumerable.Range(0, classes).Select(i => $"class {i}").ToArray(),
    };
}
