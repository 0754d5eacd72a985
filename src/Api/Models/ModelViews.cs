using ConvService.Contracts.Models;
using ConvService.Inference.Engine;
using ConvService.Inference.Serving.Repository;

namespace ConvService.Api.Models;

/// <summary>Repository entries as the API shows them.</summary>
public static class ModelViews
{
    public static ModelSummary Summary(ModelEntry entry)
    {
        var served = entry.Served;
        return new ModelSummary(
            entry.Name,
            entry.Descriptor?.DisplayName,
            entry.Descriptor?.Task,
            entry.Descriptor?.Version,
            entry.Ready,
            Source(entry),
            served is null ? null : Tensor(served.Model.Inputs[0]),
            served?.Model.ParameterCount ?? 0,
            [.. entry.Problems]);
    }

    public static ModelDetails Details(ModelEntry entry)
    {
        var served = entry.Served;
        var d = entry.Descriptor;
        var p = d?.Preprocessing;
        return new ModelDetails(
            entry.Name,
            d?.DisplayName,
            d?.Task,
            d?.Version,
            d?.Description,
            entry.Ready,
            Source(entry),
            served?.Model.ParameterCount ?? 0,
            served is null ? [] : served.Model.Inputs.Select(Tensor).ToArray(),
            served is null ? [] : served.Model.Outputs.Select(Tensor).ToArray(),
            served is null ? [] : Layers(served.Model),
            d is null ? [] : [.. d.Labels],
            p is null ? null : new PreprocessingDescription(p.Resize, p.ResizeTo, p.Crop, p.Grayscale, p.Invert, p.Scale, [.. p.Mean], [.. p.Std], p.ChannelOrder, p.Graph),
            [.. entry.Problems]);
    }

    public static LayerDescription[] Layers(CompiledModel model) =>
        model.Layers.Select(l => new LayerDescription(l.Name, l.OpType, [.. l.OutputShape], l.ParameterCount, [.. l.FusedNodeNames])).ToArray();

    /// <summary>The batch is shown as -1: every served model takes any batch, whatever its file declares.</summary>
    public static TensorDescription Tensor(TensorInfo tensor) => new(tensor.Name, [-1, .. tensor.Shape.Skip(1)]);

    private static string Source(ModelEntry entry) => entry.Source == ModelSource.Memory ? "memory" : "folder";
}
