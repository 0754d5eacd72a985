namespace ConvService.Inference.Serving.Descriptors;

/// <summary>How an upload is brought to the model's input size.</summary>
public static class ResizeModes
{
    /// <summary>Scale both axes to the input size, ignoring the aspect ratio.</summary>
    public const string Stretch = "stretch";

    /// <summary>Keep the aspect ratio: the shorter side becomes ResizeTo (default the input size), then a centre crop.</summary>
    public const string ShorterSide = "shorter-side";

    /// <summary>MNIST framing for drawn digits: crop to the ink, longer side to 20 px, centre of mass at the centre.</summary>
    public const string FitDigit = "fit-digit";

    /// <summary>No resizing: the upload must already have the input size.</summary>
    public const string None = "none";

    public static IReadOnlyList<string> All { get; } = [Stretch, ShorterSide, FitDigit, None];
}
