namespace ConvService.Inference.Operators.Resize;

/// <summary>Everything that decides one axis's sampling table besides its sizes and scale.</summary>
public readonly record struct ResizeAxisOptions(
    ResizeMode Mode,
    CoordinateTransform Transform,
    NearestRounding Rounding = NearestRounding.RoundPreferFloor,
    float CubicCoefficient = -0.75f,
    bool ExcludeOutside = false);
