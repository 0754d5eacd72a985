namespace ConvService.Inference.Operators.Resize;

/// <summary>
/// Everything that decides one axis's sampling table besides its sizes and scale. With
/// <see cref="LengthFromScale"/> (scales given, not sizes) align_corners and tf_crop_and_resize divide by the
/// resized length as the scale gives it, scale x input before flooring, as the ONNX specification and its test
/// data do; ONNX Runtime divides by the floored length, so the two differ when scale x input is not whole.
/// <see cref="Antialias"/> (Resize-18) widens linear and cubic filters by 1 / scale when an axis shrinks.
/// </summary>
public readonly record struct ResizeAxisOptions(
    ResizeMode Mode,
    CoordinateTransform Transform,
    NearestRounding Rounding = NearestRounding.RoundPreferFloor,
    float CubicCoefficient = -0.75f,
    bool ExcludeOutside = false,
    bool LengthFromScale = false,
    bool Antialias = false);
