namespace ConvService.Inference.Serving.Descriptors;

/// <summary>
/// How an uploaded image (0..255 per channel) becomes the model's input tensor, in order: resize, crop, grayscale,
/// invert, value = (pixel * scale - mean[c]) / std[c], channel order, then an optional preprocessing graph.
/// </summary>
public sealed record PreprocessingDescriptor
{
    /// <summary>One of <see cref="ResizeModes"/>.</summary>
    public string Resize { get; init; } = ResizeModes.Stretch;

    /// <summary>For <c>shorter-side</c>: the length the shorter side is scaled to before the centre crop.</summary>
    public int? ResizeTo { get; init; }

    /// <summary>Centre crop to the input size after resizing (implied by <c>shorter-side</c>).</summary>
    public bool Crop { get; init; }

    public bool Grayscale { get; init; }

    /// <summary><c>never</c>, <c>always</c>, or <c>auto</c> (invert when the background is light).</summary>
    public string Invert { get; init; } = InvertModes.Never;

    public float Scale { get; init; } = 1f;

    public IReadOnlyList<float> Mean { get; init; } = [0f];

    public IReadOnlyList<float> Std { get; init; } = [1f];

    /// <summary><c>RGB</c> or <c>BGR</c>: the order of the colour planes handed to the model (or to its preprocessing graph).</summary>
    public string ChannelOrder { get; init; } = "RGB";

    /// <summary>
    /// An ONNX file in the model folder that maps the tensor built above to the model input (e.g. a mean-image
    /// subtraction shipped with the model); run by the same engine. Null when there is none.
    /// </summary>
    public string? Graph { get; init; }
}
