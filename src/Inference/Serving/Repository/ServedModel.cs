using ConvService.Inference.Engine;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Execution;
using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Inference.Serving.Repository;

/// <summary>A loaded, validated model ready to answer: its descriptor (completed from the graph), graph, executor and preprocessing.</summary>
public sealed class ServedModel(ModelDescriptor descriptor, CompiledModel model, ModelExecutor executor, ImagePreprocessor preprocessor) : IAsyncDisposable
{
    public ModelDescriptor Descriptor { get; } = descriptor;

    public CompiledModel Model { get; } = model;

    public ModelExecutor Executor { get; } = executor;

    public ImagePreprocessor Preprocessor { get; } = preprocessor;

    public string Name => Descriptor.Name!;

    /// <summary>Finds a layer by its name or by the name of a node fused into it.</summary>
    public LayerInfo? FindLayer(string name) =>
        Model.Layers.FirstOrDefault(l => l.Name == name) ?? Model.Layers.FirstOrDefault(l => l.FusedNodeNames.Contains(name));

    public ValueTask DisposeAsync() => Executor.DisposeAsync();
}
