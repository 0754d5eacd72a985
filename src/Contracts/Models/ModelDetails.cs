namespace ConvService.Contracts.Models;

/// <summary>Everything about one model, read from its loaded graph and its descriptor.</summary>
public sealed record ModelDetails(
    string Name,
    string? DisplayName,
    string? Task,
    string? Version,
    string? Description,
    bool Ready,
    string Source,
    long Parameters,
    TensorDescription[] Inputs,
    TensorDescription[] Outputs,
    LayerDescription[] Layers,
    string[] Labels,
    PreprocessingDescription? Preprocessing,
    string[] Problems);
