namespace ConvService.Inference.Serving.Descriptors;

/// <summary>
/// What a model folder's model.json says about the model: how to name and show it, what it computes, the image it
/// expects and how to turn an upload into that image. The ONNX graph stays the authority on shapes.
/// </summary>
public sealed record ModelDescriptor
{
    public string? Name { get; init; }

    public string? DisplayName { get; init; }

    /// <summary><c>classify</c> (the output is class scores) or <c>embed</c> (the output is a feature vector).</summary>
    public string Task { get; init; } = ModelTasks.Classify;

    public string Version { get; init; } = "1";

    public string? Description { get; init; }

    public InputDescriptor Input { get; init; } = new();

    public PreprocessingDescriptor Preprocessing { get; init; } = new();

    /// <summary>Class names, index = output position; empty for embedding models.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
}
