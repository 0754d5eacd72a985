namespace ConvService.Inference.Serving.Descriptors;

/// <summary>Whether pixel values are flipped (255 - v) before scaling.</summary>
public static class InvertModes
{
    public const string Never = "never";

    public const string Always = "always";

    /// <summary>Invert when the image border is mostly light, so dark ink on paper becomes MNIST's light ink on black.</summary>
    public const string Auto = "auto";

    public static IReadOnlyList<string> All { get; } = [Never, Always, Auto];
}
