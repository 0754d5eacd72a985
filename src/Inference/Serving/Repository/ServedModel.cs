using ConvService.Inference.Engine;
using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Execution;
using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Inference.Serving.Repository;

/// <summary>A loaded, validated model ready to answer: its descriptor (completed from the graph), graph, executor and preprocessing.</summary>
public sealed class ServedModel(ModelDescriptor descriptor, CompiledModel model, ModelExecutor executor, ImagePreprocessor preprocessor) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private int holders;
    private bool retired;

    public ModelDescriptor Descriptor { get; } = descriptor;

    public CompiledModel Model { get; } = model;

    public ModelExecutor Executor { get; } = executor;

    public ImagePreprocessor Preprocessor { get; } = preprocessor;

    public string Name => Descriptor.Name!;

    /// <summary>Finds a layer by its name or by the name of a node fused into it.</summary>
    public LayerInfo? FindLayer(string name) =>
        Model.Layers.FirstOrDefault(l => l.Name == name) ?? Model.Layers.FirstOrDefault(l => l.FusedNodeNames.Contains(name));

    /// <summary>
    /// A hold for one request, or null once this version is retired (replaced or deleted): the caller then looks
    /// the model up again and gets the new version.
    /// </summary>
    public ModelHold? TryHold()
    {
        lock (gate)
        {
            if (retired)
            {
                return null;
            }

            holders++;
            return new ModelHold(this);
        }
    }

    /// <summary>
    /// Retires this version: no new holds; once the last open hold is released, the executor answers what is queued
    /// and frees its sessions.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (gate)
        {
            retired = true;
            if (holders > 0)
            {
                return ValueTask.CompletedTask;
            }
        }

        return Executor.DisposeAsync();
    }

    internal void Release()
    {
        lock (gate)
        {
            holders--;
            if (!retired || holders > 0)
            {
                return;
            }
        }

        _ = Executor.DisposeAsync().AsTask();
    }
}
