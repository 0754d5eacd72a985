namespace ConvService.Inference.Serving.Descriptors;

/// <summary>The image input of a model: its graph input name, layout and size per image.</summary>
public sealed record InputDescriptor
{
    /// <summary>The graph input name; null means the model's only input.</summary>
    public string? Name { get; init; }

    /// <summary>Only NCHW (planar) is served: it is what the engine runs.</summary>
    public string Layout { get; init; } = "NCHW";

    public int Channels { get; init; }

    public int Height { get; init; }

    public int Width { get; init; }
}
