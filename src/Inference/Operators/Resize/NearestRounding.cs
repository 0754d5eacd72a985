namespace ConvService.Inference.Operators.Resize;

/// <summary>ONNX nearest_mode, plus the rule of Upsample and Resize-10 (truncate when enlarging, ceiling when shrinking).</summary>
public enum NearestRounding
{
    RoundPreferFloor,
    RoundPreferCeil,
    Floor,
    Ceil,
    Simple,
}
